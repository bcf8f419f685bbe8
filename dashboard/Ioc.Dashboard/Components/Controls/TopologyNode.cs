using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;
using Ioc.Dashboard.Data;

namespace Ioc.Dashboard.Components.Controls;

/// <summary>A site (or the core, or a district) on the topology diagram.</summary>
public sealed class TopologyNode : NodeModel
{
    public TopologyNode(string id, Point position, string label, string kind, GroupHealth? health, string href)
        : base(id, position)
    {
        Label = label;
        Kind = kind;
        GroupHealth = health;
        Href = href;
        Locked = true;
    }

    public string Label { get; }

    /// <summary>core, district or commune.</summary>
    public string Kind { get; }

    public GroupHealth? GroupHealth { get; }

    public string Href { get; }

    public Health Health => GroupHealth?.Health ?? Health.Unknown;

    /// <summary>True when every reporting device of the site is offline: its uplink is drawn as down.</summary>
    public bool IsDown => GroupHealth is { Online: 0, Offline: > 0 };
}
