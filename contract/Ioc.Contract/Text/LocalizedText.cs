using System.Globalization;
using System.Text.Json.Serialization;

namespace Ioc.Contract.Text;

/// <summary>
/// One text in the two languages of Ioc: Vietnamese first, English second. <see cref="For(CultureInfo)"/> picks the
/// Vietnamese text for a <c>vi</c> culture and the English one for every other culture.
/// </summary>
public sealed record LocalizedText(
    [property: JsonPropertyName("vi")] string Vi,
    [property: JsonPropertyName("en")] string En)
{
    public string For(CultureInfo culture) => IsVietnamese(culture) ? Vi : En;

    /// <summary>The same text in both languages (a code, a name without translation, a test's text).</summary>
    public static implicit operator LocalizedText(string text) => new(text, text);

    public static bool IsVietnamese(CultureInfo culture) => culture.TwoLetterISOLanguageName == "vi";

    public override string ToString() => Vi;
}
