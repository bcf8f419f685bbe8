using System.Globalization;
using Ioc.Contract.Alerts;
using Ioc.Contract.Text;
using Ioc.Dashboard.Data;

namespace Ioc.Dashboard.Alerts;

/// <summary>
/// What an alert says in the reader's language: the engine stores the summary and the rule's name in Vietnamese and
/// English (<see cref="Alert.Texts"/>); alerts stored before that have only <see cref="Alert.Summary"/> and
/// <see cref="Alert.RuleName"/>, shown as they are. Every page that shows an alert's text uses this (or the
/// <c>AlertText</c> component), never <see cref="Alert.Summary"/> directly.
/// </summary>
public static class AlertTextFormatter
{
    public static string Summary(Alert alert, CultureInfo culture) => alert.Texts?.Summary.For(culture) ?? alert.Summary;

    public static string RuleName(Alert alert, CultureInfo culture) => alert.Texts?.RuleName.For(culture) ?? alert.RuleName;

    /// <summary>
    /// True when every word of <paramref name="query"/> is found, with or without diacritics, in the alert's texts (both
    /// languages), its subject, rule, device or its site's slug and display names.
    /// </summary>
    public static bool Matches(string? query, Alert alert, ISiteDirectory sites) =>
        TextFold.Matches(
            query,
            alert.Texts?.Summary.Vi ?? alert.Summary,
            alert.Texts?.Summary.En,
            alert.Texts?.RuleName.Vi ?? alert.RuleName,
            alert.Texts?.RuleName.En,
            alert.Subject,
            alert.RuleId,
            alert.DeviceId,
            alert.Site,
            sites.DisplayName(alert.Site, Vietnamese),
            sites.DisplayName(alert.Site, CultureInfo.InvariantCulture));

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");
}

/// <summary>The texts of an alert that <c>AlertText</c> shows.</summary>
public enum AlertTextPart
{
    Summary,
    RuleName,
}
