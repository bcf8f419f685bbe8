using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ioc.Simulators.Fleet;

/// <summary>
/// Reads and writes fleet files. A file holds either an explicit fleet (<c>districts</c>, <c>sites</c>,
/// <c>devices</c>) or a <c>spec</c> to generate from a seed (the file's <c>seed</c>, else the caller's).
/// The format is documented in docs/simulators.md.
/// </summary>
public static class FleetFile
{
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static string Serialize(FleetDefinition fleet) => JsonSerializer.Serialize(
        new FleetDocument
        {
            Version = FormatVersion,
            Province = fleet.Province,
            Districts = [.. fleet.Districts],
            Sites = [.. fleet.Sites],
            Devices = [.. fleet.Devices],
        },
        Json);

    public static string SerializeSpec(FleetSpec spec, int seed) =>
        JsonSerializer.Serialize(new FleetDocument { Version = FormatVersion, Seed = seed, Spec = spec }, Json);

    /// <summary>Parses a fleet document; a spec document is generated with its own seed or <paramref name="defaultSeed"/>.</summary>
    public static FleetDefinition Parse(string json, int defaultSeed)
    {
        var document = JsonSerializer.Deserialize<FleetDocument>(json, Json)
            ?? throw new InvalidDataException("The fleet file is empty.");
        if (document.Version != FormatVersion)
        {
            throw new InvalidDataException($"The fleet file has version {document.Version}; this simulator reads version {FormatVersion}.");
        }

        FleetDefinition fleet;
        if (document.Spec is not null)
        {
            fleet = FleetGenerator.Generate(document.Spec, document.Seed ?? defaultSeed);
        }
        else if (document.Sites is { Count: > 0 } && document.Devices is not null)
        {
            fleet = new FleetDefinition(document.Province ?? "", document.Districts ?? [], document.Sites, document.Devices);
        }
        else
        {
            throw new InvalidDataException("A fleet file needs either 'spec' or 'sites' and 'devices'.");
        }

        var errors = fleet.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidDataException("Invalid fleet file: " + string.Join("; ", errors.Take(20)));
        }

        return fleet;
    }

    public static FleetDefinition Load(string path, int defaultSeed) => Parse(File.ReadAllText(path), defaultSeed);

    /// <summary>The fleet file at <paramref name="path"/>, or the default Hải Dương fleet generated from <paramref name="seed"/>.</summary>
    public static FleetDefinition LoadOrDefault(string? path, int seed) =>
        string.IsNullOrWhiteSpace(path) ? FleetGenerator.Generate(FleetSpec.HaiDuong, seed) : Load(path, seed);

    private sealed class FleetDocument
    {
        public int Version { get; set; } = FormatVersion;

        public string? Province { get; set; }

        public int? Seed { get; set; }

        public FleetSpec? Spec { get; set; }

        public List<District>? Districts { get; set; }

        public List<Site>? Sites { get; set; }

        public List<Device>? Devices { get; set; }
    }
}
