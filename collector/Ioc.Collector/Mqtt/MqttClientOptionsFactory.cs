using Ioc.Collector.Configuration;
using MQTTnet;
using MQTTnet.Formatter;

namespace Ioc.Collector.Mqtt;

/// <summary>Builds the options of subscriber connection <c>index</c>: MQTT 5, persistent session, manual acknowledgement.</summary>
public static class MqttClientOptionsFactory
{
    public static MqttClientOptions Create(MqttOptions options, int index)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"{options.ClientId}-{index}")
            // Persistent session: the broker keeps our subscription and queues QoS 1 messages while we are away.
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)options.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum((ushort)options.ReceiveMaximum)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (!string.IsNullOrEmpty(options.Username))
        {
            builder.WithCredentials(options.Username, options.Password);
        }

        if (options.UseTls)
        {
            builder.WithTlsOptions(tls => tls
                .UseTls()
                .WithAllowUntrustedCertificates(options.AllowUntrustedCertificates)
                .WithIgnoreCertificateChainErrors(options.AllowUntrustedCertificates)
                .WithCertificateValidationHandler(_ => options.AllowUntrustedCertificates ? true : _.SslPolicyErrors == System.Net.Security.SslPolicyErrors.None));
        }

        return builder.Build();
    }
}
