using System.Globalization;
using System.Text;

namespace Ioc.Contract.Text;

/// <summary>
/// Vietnamese text folded for matching and for slugs: diacritics removed (<c>đ</c> → <c>d</c> too), lower case.
/// "Thanh Hà", "thanh ha" and "THANH HA" fold to the same text, so a search finds a site whichever way it is typed.
/// </summary>
public static class TextFold
{
    /// <summary><paramref name="text"/> without diacritics, in lower case; other characters kept.</summary>
    public static string Fold(string? text) => StripDiacritics(text).ToLowerInvariant();

    /// <summary><paramref name="text"/> without diacritics (<c>Đ</c> → <c>D</c>), case kept: "Thanh Hà" → "Thanh Ha".</summary>
    public static string StripDiacritics(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var decomposed = text.Replace('Đ', 'D').Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// True when every word of <paramref name="query"/> occurs, folded, in one of <paramref name="texts"/> (slugs count:
    /// a '-' in a text matches a space in the query). An empty query matches everything.
    /// </summary>
    public static bool Matches(string? query, params ReadOnlySpan<string?> texts)
    {
        var words = Fold(query).Split([' ', '\t', '-', '·', ',', '/'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return true;
        }

        var folded = new string[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            folded[i] = Fold(texts[i]).Replace('-', ' ');
        }

        foreach (var word in words)
        {
            var found = false;
            foreach (var text in folded)
            {
                if (text.Contains(word, StringComparison.Ordinal))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }
}
