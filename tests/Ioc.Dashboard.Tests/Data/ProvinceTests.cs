using Ioc.Dashboard.Data;
using Xunit;

namespace Ioc.Dashboard.Tests.Data;

public sealed class ProvinceTests
{
    [Theory]
    [InlineData("thanh-ha", "thanh-ha")]
    [InlineData("thanh-ha-thanh-son", "thanh-ha")]
    [InlineData("thanh-mien-doan-tung", "thanh-mien")]
    [InlineData("tu-ky-ngoc-son", "tu-ky")]
    [InlineData("dc-tinh", null)]
    [InlineData("thanhha", null)]
    public void DistrictOf_Site_FindsLongestMatchingDistrict(string site, string? expected)
    {
        // Act
        var district = Province.DistrictOf(site);

        // Assert
        Assert.Equal(expected, district?.Slug);
    }

    [Fact]
    public void Districts_All_AreTwelveWithDistinctCells()
    {
        // Assert
        Assert.Equal(12, Province.Districts.Count);
        Assert.Equal(12, Province.Districts.Select(d => (d.Column, d.Row)).Distinct().Count());
    }
}
