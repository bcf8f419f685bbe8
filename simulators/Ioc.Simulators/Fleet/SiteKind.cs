namespace Ioc.Simulators.Fleet;

/// <summary>What a site is in the province's network: the topology view draws core → district → commune.</summary>
public enum SiteKind
{
    /// <summary>The provincial network core (core routers, the internet-edge firewall).</summary>
    Core,

    /// <summary>The provincial data center.</summary>
    DataCenter,

    /// <summary>A district-level center (aggregation switches, router, firewall).</summary>
    DistrictCenter,

    /// <summary>A commune (public Wi-Fi access points and an access switch).</summary>
    Commune,

    /// <summary>A provincial department on the dedicated data network.</summary>
    Department,
}
