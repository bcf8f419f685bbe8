using Ioc.Core.Storage;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Configuration;

/// <summary>Reports every configuration problem of a section at once, each naming its key.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options) => OptionsResult.From(options.Validate());
}

internal sealed class DashboardMqttOptionsValidator : IValidateOptions<DashboardMqttOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardMqttOptions options) => OptionsResult.From(options.Validate());
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) => OptionsResult.From(options.Validate());
}

internal static class OptionsResult
{
    public static ValidateOptionsResult From(IEnumerable<string> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
