using Ioc.Contract.Text;

namespace Ioc.Contract.Tests.Text;

public sealed class TextFoldTests
{
    [Theory]
    [InlineData("Thanh Hà", "thanh ha")]
    [InlineData("THANH HÀ", "thanh ha")]
    [InlineData("Đồng Lạc", "dong lac")]
    [InlineData("Tứ Kỳ · Ngọc Sơn", "tu ky · ngoc son")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Fold_RemovesDiacriticsAndCase(string? text, string expected) => Assert.Equal(expected, TextFold.Fold(text));

    [Theory]
    [InlineData("Thành phố Hải Dương", "Thanh pho Hai Duong")]
    [InlineData("Đại Đồng", "Dai Dong")]
    [InlineData("Sở Tài chính", "So Tai chinh")]
    public void StripDiacritics_KeepsCase(string text, string expected) => Assert.Equal(expected, TextFold.StripDiacritics(text));

    [Theory]
    [InlineData("Thanh Hà")]
    [InlineData("thanh ha")]
    [InlineData("THANH HA")]
    [InlineData("thanh-ha")]
    [InlineData("an son thanh")]
    [InlineData("")]
    public void Matches_WithOrWithoutDiacritics_FindsTheSiteBySlugOrName(string query) =>
        Assert.True(TextFold.Matches(query, "thanh-ha-an-son", "Thanh Hà · An Sơn"));

    [Theory]
    [InlineData("Thanh Hóa")]
    [InlineData("tu ky")]
    [InlineData("an son x")]
    public void Matches_AWordThatOccursNowhere_DoesNotMatch(string query) =>
        Assert.False(TextFold.Matches(query, "thanh-ha-an-son", "Thanh Hà · An Sơn"));
}
