import MutualAidDomain
import Testing

/// 人民币大写 as bank slips and the 申领审批表 write it.
@Suite struct ChineseCapitalsTests {
    @Test(arguments: [
        ("123.45", "壹佰贰拾叁元肆角伍分"),
        ("79.00", "柒拾玖元整"),
        ("0.00", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角"),
        ("1.50", "壹元伍角"),
        ("100.05", "壹佰元零伍分"),
        ("1005.06", "壹仟零伍元零陆分"),
        ("1050.00", "壹仟零伍拾元整"),
        ("10.00", "壹拾元整"),
        ("10000.00", "壹万元整"),
        ("10010.00", "壹万零壹拾元整"),
        ("100001.00", "壹拾万零壹元整"),
        ("120000.30", "壹拾贰万元叁角"),
        ("100000001.00", "壹亿零壹元整"),
        ("102030405.67", "壹亿零贰佰零叁万零肆佰零伍元陆角柒分"),
        ("-3.20", "负叁元贰角"),
    ])
    func amounts(_ figures: String, _ capitals: String) throws {
        #expect(try #require(Money(figures)).chineseCapitals == capitals)
    }
}
