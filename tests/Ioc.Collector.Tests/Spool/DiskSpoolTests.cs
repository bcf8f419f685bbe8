using Ioc.Collector.Configuration;
using Ioc.Collector.Spool;
using Ioc.Contract.Model;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Tests.Spool;

public sealed class DiskSpoolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-spool-").FullName;

    private DiskSpool Create(long maxBytes = 1 << 20) =>
        new(Options.Create(new CollectorOptions { SpoolPath = _folder, SpoolMaxBytes = maxBytes }));

    private static Point[] Batch(int start, int count) => [.. Enumerable.Range(start, count).Select(i =>
        new Point("ups", [new("site", "dc"), new("device", "U 1, =x")], [new("seq", FieldValue.Integer(i)), new("note", FieldValue.String("a \"b\"\nc\\"))], 1_700_000_000_000_000_000 + i))];

    [Fact]
    public async Task Append_ThenRead_ReturnsThePointsExactly()
    {
        var spool = Create();

        Assert.True(await spool.TryAppendAsync(Batch(0, 3), CancellationToken.None));
        var points = await DiskSpool.ReadAsync(spool.Oldest()!, CancellationToken.None);

        Assert.Equal(3, points.Count);
        Assert.Equal("U 1, =x", points[2].GetTag("device"));
        Assert.Equal(2, points[2].GetField("seq")!.Value.AsInteger());
        Assert.Equal("a \"b\"\nc\\", points[2].GetField("note")!.Value.AsString());
        Assert.Equal(1_700_000_000_000_000_002, points[2].TimestampNs);
    }

    [Fact]
    public async Task Segments_ComeBackOldestFirst_AndSurviveARestart()
    {
        var spool = Create();
        for (var i = 0; i < 12; i++)
        {
            await spool.TryAppendAsync(Batch(i * 10, 10), CancellationToken.None);
        }

        File.WriteAllText(Path.Combine(_folder, "9999999999999999.spool.tmp"), "half-written");
        var reopened = Create();
        var firsts = new List<long>();
        while (reopened.Oldest() is { } segment)
        {
            firsts.Add((await DiskSpool.ReadAsync(segment, CancellationToken.None))[0].GetField("seq")!.Value.AsInteger());
            reopened.Remove(segment);
        }

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i * 10), firsts);
        Assert.True(reopened.IsEmpty);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Append_WhenFull_RefusesUntilSpaceIsFreed()
    {
        var spool = Create(maxBytes: 2_000);

        var appended = 0;
        while (await spool.TryAppendAsync(Batch(appended, 5), CancellationToken.None))
        {
            appended++;
        }

        Assert.InRange(spool.PendingBytes, 1, 2_000);
        spool.Remove(spool.Oldest()!);
        Assert.True(await spool.TryAppendAsync(Batch(0, 5), CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
