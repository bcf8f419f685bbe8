using Ioc.Alerting.Rules;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Text;

/// <summary>The summary templates of rules that have none, per kind, in Vietnamese and English (placeholders as in rule files).</summary>
public static class DefaultSummaries
{
    public static LocalizedText Threshold { get; } = new(
        "{subject}: {metric} = {value} {unit} (ngưỡng {threshold})",
        "{subject}: {metric} = {value} {unit} (threshold {threshold})");

    public static LocalizedText Composite { get; } = new(
        "{subject}: {value} thiết bị gặp sự cố",
        "{subject}: {value} devices down");

    public static LocalizedText OfflineLastWill { get; } = new(
        "{subject}: mất kết nối (thông điệp last will)",
        "{subject}: offline (last will)");

    public static LocalizedText BackOnline { get; } = new(
        "{subject}: đã kết nối lại",
        "{subject}: back online");

    public static LocalizedText Rate(RateMode mode) => mode == RateMode.Increase
        ? new("{subject}: {metric} tăng {value} {unit} trong {window} (ngưỡng {threshold})", "{subject}: {metric} rose by {value} {unit} in {window} (threshold {threshold})")
        : new("{subject}: {metric} thay đổi {value} {unit} mỗi giây (ngưỡng {threshold})", "{subject}: {metric} changes at {value} {unit} per second (threshold {threshold})");

    public static LocalizedText State(IReadOnlyList<string> values) => new(
        "{subject}: {metric} là " + string.Join("/", values),
        "{subject}: {metric} is " + string.Join("/", values));

    public static LocalizedText EventCount(string? eventType) => new(
        "{subject}: {value} sự kiện " + EventWords(eventType, Language.Vi) + " trong {window}",
        "{subject}: {value} × " + EventWords(eventType, Language.En) + " within {window}");

    /// <summary>The offline rule's silence, with the duration written out in each language.</summary>
    public static LocalizedText NoData(TimeSpan silence) => new(
        "{subject}: không có dữ liệu trong " + AlertWords.Duration(silence, Language.Vi),
        "{subject}: no data for " + AlertWords.Duration(silence, Language.En));

    /// <summary>Event types of the default rules in words; any other stays its code.</summary>
    public static string EventWords(string? eventType, Language language) => (eventType, language) switch
    {
        ("auth_failure", Language.Vi) => "đăng nhập thất bại",
        ("auth_failure", _) => "failed logins",
        ("link_down", Language.Vi) => "mất liên kết",
        ("link_down", _) => "link downs",
        ("rogue_ap", Language.Vi) => "điểm phát giả mạo",
        ("rogue_ap", _) => "rogue access points",
        ("ddos_suspected", Language.Vi) => "nghi tấn công DDoS",
        ("ddos_suspected", _) => "suspected DDoS",
        ("compressor_fault", Language.Vi) => "lỗi máy nén",
        ("compressor_fault", _) => "compressor faults",
        ("device_flooding", Language.Vi) => "thiết bị gửi quá nhiều",
        ("device_flooding", _) => "device flooding",
        _ => eventType ?? "-",
    };
}
