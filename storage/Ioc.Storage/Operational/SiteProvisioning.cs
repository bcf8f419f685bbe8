using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ioc.Storage.Operational;

/// <summary>
/// The <c>sites</c> command of the collector host: import a sites file (what <c>ioc-sim sites</c> writes, or one written
/// by hand) into the site registry of the configured operational store, list or remove sites. A file is a JSON array of
/// <c>{"slug", "nameVi", "nameEn", "district", "kind"}</c>; importing again replaces the names of the sites it lists.
/// </summary>
public static class SiteProvisioning
{
    public const string Verb = "sites";

    public const string Usage = """
        sites import FILE        add or replace the sites of FILE (JSON: [{"slug", "nameVi", "nameEn", "district", "kind"}])
        sites list               every registered site: slug, district, kind, Vietnamese and English names
        sites remove --slug SITE remove one site (its alerts and telemetry stay)
        """;

    private static readonly JsonSerializerOptions Json = new() { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The records of a sites file; throws <see cref="InvalidDataException"/> naming the entry when one lacks a field.</summary>
    public static IReadOnlyList<SiteRecord> Parse(string json, string source)
    {
        List<Entry>? entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<Entry>>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{source}: not a JSON array of sites (line {ex.LineNumber + 1}): {ex.Message.Split(". ")[0]}", ex);
        }

        var records = new List<SiteRecord>();
        var index = 0;
        foreach (var entry in entries ?? [])
        {
            index++;
            if (entry is null || string.IsNullOrWhiteSpace(entry.Slug) || string.IsNullOrWhiteSpace(entry.NameVi) || string.IsNullOrWhiteSpace(entry.Kind))
            {
                throw new InvalidDataException($"{source}: site #{index} needs 'slug', 'nameVi' and 'kind' ('nameEn' defaults to 'nameVi').");
            }

            records.Add(new SiteRecord(entry.Slug, entry.NameVi, string.IsNullOrWhiteSpace(entry.NameEn) ? entry.NameVi : entry.NameEn, entry.District, entry.Kind));
        }

        return records;
    }

    /// <summary>Runs <paramref name="args"/> (starting with <see cref="Verb"/>); returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, ISiteStore store, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var action = args.Length > 1 ? args[1] : "help";
        try
        {
            switch (action)
            {
                case "import" when args.Length > 2:
                    var records = Parse(await File.ReadAllTextAsync(args[2], cancellationToken), args[2]);
                    var written = await store.UpsertAsync(records, time.GetUtcNow(), cancellationToken);
                    await output.WriteLineAsync($"Imported {written} site(s) from {args[2]}.");
                    return 0;
                case "list":
                    foreach (var site in await store.ListAsync(cancellationToken))
                    {
                        await output.WriteLineAsync($"{site.Slug}\t{site.District ?? "-"}\t{site.Kind}\t{site.NameVi}\t{site.NameEn}");
                    }

                    return 0;
                case "remove":
                    var i = Array.IndexOf(args, "--slug");
                    var slug = i >= 0 && i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"--slug is required.\n{Usage}");
                    if (!await store.DeleteAsync(slug, cancellationToken))
                    {
                        await error.WriteLineAsync($"Site '{slug}' is not registered.");
                        return 1;
                    }

                    await output.WriteLineAsync($"Removed {slug}.");
                    return 0;
                default:
                    await error.WriteLineAsync(Usage);
                    return action == "help" ? 0 : 2;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            await error.WriteLineAsync(ex.Message);
            return 1;
        }
    }

    private sealed class Entry
    {
        [JsonPropertyName("slug")]
        public string? Slug { get; set; }

        [JsonPropertyName("nameVi")]
        public string? NameVi { get; set; }

        [JsonPropertyName("nameEn")]
        public string? NameEn { get; set; }

        [JsonPropertyName("district")]
        public string? District { get; set; }

        [JsonPropertyName("kind")]
        public string? Kind { get; set; }
    }
}
