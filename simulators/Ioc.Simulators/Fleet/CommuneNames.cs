namespace Ioc.Simulators.Fleet;

/// <summary>
/// Commune names typical of the Red River delta (many are real communes of Hải Dương). The generator draws
/// from this pool with the seed; names repeat across districts, as they do in reality, but never within one.
/// </summary>
internal static class CommuneNames
{
    public static IReadOnlyList<string> Pool { get; } =
    [
        "An Bình", "An Châu", "An Đức", "An Lâm", "An Lạc", "An Phụ", "An Sơn", "An Thanh", "Bạch Đằng", "Bình Lãng",
        "Bình Minh", "Bình Xuyên", "Cao An", "Cao Thắng", "Cẩm Chế", "Cẩm Điền", "Cẩm Đoài", "Cẩm Hưng", "Cẩm Vũ", "Chi Lăng",
        "Chí Minh", "Cổ Bì", "Cổ Dũng", "Cộng Hòa", "Cộng Lạc", "Dân Chủ", "Duy Tân", "Đại Đồng", "Đại Đức", "Đại Hợp",
        "Đại Sơn", "Đoàn Kết", "Đoàn Thượng", "Đoàn Tùng", "Đồng Gia", "Đồng Lạc", "Đồng Tâm", "Đức Chính", "Gia Hòa", "Gia Tân",
        "Gia Xuyên", "Hiến Thành", "Hiệp Cát", "Hiệp Hòa", "Hiệp Lực", "Hoàng Hanh", "Hoàng Tân", "Hồng Dụ", "Hồng Đức", "Hồng Lạc",
        "Hồng Phong", "Hồng Phúc", "Hồng Quang", "Hợp Đức", "Hợp Tiến", "Hưng Đạo", "Hưng Long", "Kim Anh", "Kim Đính", "Kim Lương",
        "Kim Tân", "Kim Xuyên", "Lai Cách", "Lai Khê", "Lam Sơn", "Lạc Long", "Lạc Phượng", "Lê Hồng", "Lê Lợi", "Lê Ninh",
        "Liên Hồng", "Liên Mạc", "Long Xuyên", "Minh Đức", "Minh Hòa", "Minh Tân", "Nam Hưng", "Nam Tân", "Nghĩa An", "Ngọc Châu",
        "Ngọc Kỳ", "Ngọc Liên", "Ngọc Sơn", "Nhân Huệ", "Nhân Quyền", "Nhật Tân", "Phạm Kha", "Phạm Trấn", "Phú Điền", "Phú Thái",
        "Phúc Thành", "Phương Hưng", "Quang Đức", "Quang Hưng", "Quang Khải", "Quang Phục", "Quang Thành", "Quang Trung", "Quyết Thắng", "Tái Sơn",
        "Tam Kỳ", "Tân An", "Tân Dân", "Tân Hồng", "Tân Hương", "Tân Phong", "Tân Quang", "Tân Tiến", "Tân Trào", "Tân Trường",
        "Tân Việt", "Thái Dương", "Thái Hòa", "Thái Học", "Thái Tân", "Thái Thịnh", "Thanh An", "Thanh Cường", "Thanh Giang", "Thanh Hải",
        "Thanh Hồng", "Thanh Lang", "Thanh Quang", "Thanh Sơn", "Thanh Tùng", "Thanh Xá", "Thống Kênh", "Thống Nhất", "Thúc Kháng", "Thượng Đạt",
        "Tiền Tiến", "Toàn Thắng", "Trùng Khánh", "Trường Thành", "Tuấn Việt", "Văn Hội", "Văn Tố", "Vĩnh Cường", "Vĩnh Hòa", "Vĩnh Hồng",
        "Vĩnh Hưng", "Vĩnh Lập", "Vĩnh Tuy", "Yết Kiêu",
    ];
}
