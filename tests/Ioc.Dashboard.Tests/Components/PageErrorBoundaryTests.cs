using System.Globalization;
using Bunit;
using Ioc.Dashboard.Components.Layout;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Ioc.Dashboard.Tests.Components;

public sealed class PageErrorBoundaryTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();
    private readonly TestLoggerProvider _logs = new();

    public PageErrorBoundaryTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.Services.AddSingleton<ILoggerFactory>(new LoggerFactory([_logs]));
        _ctx.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        FailingPage.Fail = true;
    }

    [Fact]
    public void PageThrows_ShowsVietnamesePanelAndLogsTheException()
    {
        // Arrange
        var cut = _ctx.Render<PageErrorBoundary>(p => p.AddChildContent<FailingPage>());
        Assert.Empty(cut.FindAll("[data-testid=error-boundary]"));

        // Act: the page's handler throws (as a silence form did on a rule typo).
        cut.Find("[data-testid=failing-button]").Click();

        // Assert
        var panel = cut.Find("[data-testid=error-boundary]");
        Assert.Contains("Đã xảy ra lỗi trên trang này", panel.TextContent, StringComparison.Ordinal);
        Assert.Contains("Thử lại", cut.Find("[data-testid=error-boundary-retry]").TextContent, StringComparison.Ordinal);
        var reference = cut.Find("[data-testid=error-boundary-id]").TextContent.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];
        var entry = Assert.Single(_logs.Entries, e => e.Category == typeof(PageErrorBoundary).FullName && e.EventId.Name == "PageFailed");
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Contains(reference, entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Retry_AfterTheCauseIsGone_RendersThePageAgain()
    {
        // Arrange
        var cut = _ctx.Render<PageErrorBoundary>(p => p.AddChildContent<FailingPage>());
        cut.Find("[data-testid=failing-button]").Click();
        Assert.NotNull(cut.Find("[data-testid=error-boundary]"));

        // Act
        FailingPage.Fail = false;
        cut.Find("[data-testid=error-boundary-retry]").Click();

        // Assert
        Assert.Empty(cut.FindAll("[data-testid=error-boundary]"));
        cut.Find("[data-testid=failing-button]").Click();
        Assert.Equal("ok", cut.Find("[data-testid=failing-result]").TextContent);
    }

    [Fact]
    public void PageThrows_InEnglish_ShowsEnglishPanel()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
        var cut = _ctx.Render<PageErrorBoundary>(p => p.AddChildContent<FailingPage>());

        cut.Find("[data-testid=failing-button]").Click();

        Assert.Contains("Something went wrong on this page", cut.Find("[data-testid=error-boundary]").TextContent, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    /// <summary>A page whose button throws while <see cref="Fail"/> is set.</summary>
    private sealed class FailingPage : ComponentBase
    {
        public static bool Fail { get; set; } = true;

        private string _result = string.Empty;

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "data-testid", "failing-button");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, Click));
            builder.AddContent(3, "go");
            builder.CloseElement();
            builder.OpenElement(4, "span");
            builder.AddAttribute(5, "data-testid", "failing-result");
            builder.AddContent(6, _result);
            builder.CloseElement();
        }

        private void Click()
        {
            if (Fail)
            {
                throw new InvalidOperationException("there is no rule 'dc-inlet-wram'");
            }

            _result = "ok";
        }
    }
}
