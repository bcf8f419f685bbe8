using System.Text;
using Ioc.Contract.Text;

namespace Ioc.Simulators.Fleet;

/// <summary>Vietnamese names to topic slugs: <c>Tứ Kỳ</c> → <c>tu-ky</c>, <c>Đồng Lạc</c> → <c>dong-lac</c> (folded with <see cref="TextFold"/>).</summary>
public static class Slug
{
    public static string From(string name)
    {
        var folded = TextFold.Fold(name);
        var builder = new StringBuilder(folded.Length);
        var lastDash = true;
        foreach (var c in folded)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
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
