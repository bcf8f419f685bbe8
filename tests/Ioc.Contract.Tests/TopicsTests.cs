namespace Ioc.Contract.Tests;

public class TopicsTests
{
    [Fact]
    public void ToIngress_DeviceTopic_MovesItUnderTheIngressTree_AndBack()
    {
        const string device = "ioc/v1/dc-tinh/firewall/FW-EDGE-01/event";

        var ingress = Topics.ToIngress(device);

        Assert.Equal("ioc/ingress/v1/dc-tinh/firewall/FW-EDGE-01/event", ingress);
        Assert.Equal(device, Topics.FromIngress(ingress));
    }

    [Theory]
    [InlineData("ioc/v1/dc-tinh/firewall/FW-EDGE-01/event")]
    [InlineData("ioc/v1/_system/alerts/events")]
    [InlineData("ioc/ingressx/v1/a/b/c/event")]
    public void FromIngress_NotAnIngressTopic_IsNull(string topic) => Assert.Null(Topics.FromIngress(topic));

    [Fact]
    public void ToIngress_NotADeviceTopic_Throws() => Assert.Throws<ArgumentException>(() => Topics.ToIngress("ioc/ingress/v1/a/b/c/event"));
}
