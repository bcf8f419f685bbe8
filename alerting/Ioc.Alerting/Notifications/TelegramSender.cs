using System.Globalization;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Ioc.Alerting.Notifications;

/// <summary>
/// Sends the message to one Telegram chat through the Bot API (<c>sendMessage</c>, HTML parse mode, link previews off).
/// Telegram's flood control (429 with <c>retry_after</c>) is left to the outbox: the next attempt waits exactly that long.
/// A 400/401/403/404 answer (chat not found, bot blocked or kicked, token refused) is permanent: recorded as failed with
/// Telegram's description, not retried.
/// </summary>
public sealed class TelegramSender(IHttpClientFactory clients, AlertingOptions options, TimeProvider time, ISiteNames sites) : INotificationSender
{
    public const string HttpClientName = "Ioc.Alerting.Telegram";

    public string Channel => NotificationPlanner.TelegramChannel;

    public async Task<string> SendAsync(NotificationRecord notification, Alert alert, CancellationToken cancellationToken)
    {
        var (name, chat) = NotificationRoutes.ParseTarget(notification.Target);
        var bot = options.Notifications.Telegram.FirstOrDefault(t => t.Name == name)
            ?? throw new DeliveryException($"Telegram channel '{name}' is no longer configured") { Permanent = true };
        if (chat is null || !TelegramOptions.IsChatId(chat))
        {
            throw new DeliveryException($"'{notification.Target}' names no Telegram chat") { Permanent = true };
        }

        var settings = options.Notifications;
        var message = NotificationMessage.Build(alert, notification.Event, time.GetUtcNow(), settings.DashboardUrl, sites, bot.Language, settings.Zone());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var client = new TelegramBotClient(new TelegramBotClientOptions(bot.BotToken!, bot.ApiUrl) { RetryCount = 0 }, clients.CreateClient(HttpClientName));
        try
        {
            var sent = await client.SendMessage(
                ChatOf(chat),
                message.ToTelegramHtml(),
                ParseMode.Html,
                linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true },
                cancellationToken: timeout.Token);
            return string.Create(CultureInfo.InvariantCulture, $"Telegram message {sent.MessageId} in chat {chat}");
        }
        catch (ApiRequestException ex) when (ex.ErrorCode == 429 || ex.Parameters?.RetryAfter is not null)
        {
            var wait = TimeSpan.FromSeconds(Math.Max(1, ex.Parameters?.RetryAfter ?? 1));
            throw new DeliveryException(string.Create(CultureInfo.InvariantCulture, $"Telegram {ex.ErrorCode}: {ex.Message} (retry after {wait.TotalSeconds:0}s)"), ex) { RetryAfter = wait };
        }
        catch (ApiRequestException ex) when (ex.ErrorCode is 400 or 401 or 403 or 404)
        {
            throw new DeliveryException(string.Create(CultureInfo.InvariantCulture, $"Telegram {ex.ErrorCode}: {ex.Message}"), ex) { Permanent = true };
        }
        catch (ApiRequestException ex)
        {
            throw new DeliveryException(string.Create(CultureInfo.InvariantCulture, $"Telegram {ex.ErrorCode}: {ex.Message}"), ex);
        }
        catch (RequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException(timeout.IsCancellationRequested ? $"no answer within {settings.Timeout.TotalSeconds:0.#}s" : ex.Message, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException($"no answer within {settings.Timeout.TotalSeconds:0.#}s", ex);
        }
    }

    private static ChatId ChatOf(string chat) =>
        long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? new ChatId(id) : new ChatId(chat);
}
