using Ioc.Alerting.Hosting;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;

namespace Ioc.Alerting.Service;

/// <summary>
/// The engine's check of a silence request before it is stored (<see cref="SilenceValidation"/> against what the engine
/// knows): rules from the rule set; sites from the rules' site map and district slugs (a site in a district starts with
/// its slug) and the devices heard from; device types from the contract and the devices heard from; devices heard from
/// or with an open alert.
/// </summary>
public sealed class SilenceChecker(RuleCatalog rulesCatalog, IAlertStore store, IDeviceStore devices, AlertingOptions options)
{
    public SilenceLimits Limits => options.Silences.ToLimits();

    public async Task<IReadOnlyList<SilenceProblem>> CheckAsync(SilenceRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rules = rulesCatalog.Current;
        var heard = await devices.LoadAsync(cancellationToken);
        var open = await store.ListOpenAsync(cancellationToken);
        var sites = new HashSet<string>(heard.Select(d => d.Site).Concat(open.Select(a => a.Site).OfType<string>()).Concat(rules.SiteDistricts.Keys), StringComparer.Ordinal);
        var districts = new HashSet<string>(rules.Districts.Concat(rules.SiteDistricts.Values).Concat(heard.Select(d => d.District).OfType<string>()).Concat(open.Select(a => a.District).OfType<string>()), StringComparer.Ordinal);
        var catalog = new SilenceCatalog
        {
            Rules = new HashSet<string>(rules.ById.Keys, StringComparer.Ordinal),
            IsSite = site => sites.Contains(site) || rules.Districts.Any(d => site == d || site.StartsWith(d + "-", StringComparison.Ordinal)),
            Districts = districts,
            DeviceTypes = new HashSet<string>(DeviceTypes.All.Concat(heard.Select(d => d.DeviceType)).Concat(open.Select(a => a.DeviceType).OfType<string>()), StringComparer.Ordinal),
            Devices = new HashSet<string>(heard.Select(d => d.DeviceId).Concat(open.Select(a => a.DeviceId).OfType<string>()), StringComparer.Ordinal),
        };
        return SilenceValidation.Validate(request, now, Limits, catalog);
    }
}
