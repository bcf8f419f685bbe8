using Ioc.Alerting.Evaluation;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Text;

/// <summary>
/// Renders a signal's summary template in Vietnamese and English with the sites' names (<see cref="ISiteNames"/>): what
/// the engine stores on the alert (<see cref="Alert.Texts"/>) when it fires or repeats.
/// </summary>
public sealed class AlertTextRenderer(ISiteNames sites)
{
    public async Task<AlertTexts> RenderAsync(AlertSignal signal, CancellationToken cancellationToken)
    {
        await sites.RefreshIfStaleAsync(cancellationToken);
        return Render(signal);
    }

    public AlertTexts Render(AlertSignal signal) => Render(signal.Summary, signal.Rule, signal.Subject, signal.Value);

    /// <summary>The texts of <paramref name="template"/> for <paramref name="subject"/> with <paramref name="value"/> (a group alert's new count).</summary>
    public AlertTexts Render(Contract.Text.LocalizedText template, Rules.AlertRule rule, Subject subject, double? value) =>
        new(SummaryFormatter.Render(template, rule, subject, value, sites), rule.Name);
}
