using System.Globalization;
using System.Text;

namespace Ioc.Simulators.Fleet;

/// <summary>Vietnamese names to topic slugs: <c>Tứ Kỳ</c> → <c>tu-ky</c>, <c>Đồng Lạc</c> → <c>dong-lac</c>.</summary>
public static class Slug
{
    public static string From(string name)
    {
        var decomposed = name.Replace('Đ', 'D').Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var lastDash = true;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
                lastDash = false;
            }
            else if (!lastDash)
            {
                builder.Append('-');
                lastDash = true;
            }
        }

        return builder.ToString().TrimEnd('-');
    }

    /// <summary>Initials of each word, upper case: <c>Sở Tài chính</c> → <c>STC</c>.</summary>
    public static string Initials(string name) =>
        string.Concat(From(name).Split('-', StringSplitOptions.RemoveEmptyEntries).Select(w => char.ToUpperInvariant(w[0])));
}
