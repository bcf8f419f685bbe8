using System.Globalization;
using Xunit;

namespace Ioc.Dashboard.Tests.Shared;

/// <summary>A test context per test with the monthly report services and <see cref="TestReportData"/>'s province seeded.</summary>
public abstract class SeededReportTests : IAsyncLifetime
{
    protected static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");
    protected static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    protected DashboardTestContext Context { get; } = new();

    public virtual async Task InitializeAsync()
    {
        TestReportData.AddReports(Context);
        await TestReportData.SeedAsync(Context);
    }

    public virtual async Task DisposeAsync() => await Context.DisposeAsync();
}
