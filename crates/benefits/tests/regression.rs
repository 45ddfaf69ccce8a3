//! Issue 12: words of support read out of context, and real support missed or misfiled.
//! Real provisions of the shared corpus (LawRefBook), quoted.

use zhengce_benefits::classify;

fn benefits(text: &str) -> Vec<String> {
    classify(text).benefits
}

#[test]
fn issue_12_definitions_purposes_penalties_and_prohibitions_offer_nothing() {
    let negatives = [
        // 浙江省高新技术促进条例 第三条: a definition.
        "第三条 本条例所称的高新技术，是指科技含量高，应用性强，具有创新性、先导性等特征，能促进现有产业改造提升或者转化为新兴产业的技术。\n本条例所称的高新技术企业，是指按照国家规定认定并取得高新技术企业证书的企业。",
        // 上海市检验检测条例 第七条: planning an industry is not support.
        "第七条 市市场监管部门应当会同有关部门按照综合协调、资源共享的原则，规划检验检测产业发展，明确产业发展目标和促进保障措施，推进检验检测市场快速健康发展。",
        // 山东省专利条例 第五十条: fraud, claw-back and a ban on applying.
        "第五十条 违反本条例规定，单位或者个人弄虚作假，骗取政府专利资助、奖励的，由人民政府或者有关部门撤销奖励，收回资助、奖励资金，五年内不得申报政府专利资助、奖励，将其记入社会信用档案并予以公布；构成违反治安管理行为的，由公安机关依法给予行政处罚；构成犯罪的，依法追究刑事责任。",
        // 上海市不动产登记若干规定 第四十条: 失信惩戒 (with a 信用信息服务平台).
        "第四十条 对不动产登记中的相关失信行为，由不动产机构依法将相关主体的失信信息归集至本市公共信用信息服务平台，由相关部门依法对失信主体实施惩戒措施。",
        // 山东省节约能源条例 第三十四条: 不得…给予补贴.
        "第三十四条 能源生产经营单位不得无偿或者低于市场价格向本单位职工提供能源，不得对本单位职工按能源消费量给予补贴。",
        // A purpose clause.
        "第一条 为了促进科技成果转化，鼓励和支持企业创新，给予创新主体必要的扶持，根据有关法律、行政法规，结合本省实际，制定本条例。",
        // A penalty with 责令…罚款.
        "第九十一条 非法印制、转借、倒卖、变造或者伪造完税凭证的，由税务机关责令改正，处2000元以上1万元以下的罚款；情节严重的，处1万元以上5万元以下的罚款。",
        // A duty to accept supervision.
        "获得财政补助的单位应当接受审计机关的监督，并按年度报告补助资金的使用情况。",
        // A prohibition.
        "任何单位不得以任何名义向企业摊派，不得违规给予企业奖励或者补贴。",
        // 失信惩戒.
        "对严重失信主体实施联合惩戒，限制其享受财政补贴、场地租金减免等优惠政策。",
    ];
    for text in negatives {
        assert!(benefits(text).is_empty(), "{text}: {:?}", classify(text));
    }
}

#[test]
fn issue_12_support_found_where_it_is() {
    // 中华人民共和国企业所得税法 第二十八条.
    let c = classify(
        "第二十八条 符合条件的小型微利企业，减按20％的税率征收企业所得税。\n国家需要重点扶持的高新技术企业，减按15％的税率征收企业所得税。",
    );
    assert!(c.benefits.contains(&"税收优惠".to_string()), "{c:?}");
    assert!(
        c.beneficiaries.contains(&"高新技术企业".to_string()),
        "{c:?}"
    );
    // 山东省农民专业合作社条例 第四十二条.
    let c = classify(
        "第四十二条 各级人民政府应当鼓励金融机构对农民专业合作社增加贷款规模，扩大金融服务。",
    );
    assert_eq!(c.benefits, ["金融支持"], "{c:?}");
    assert!(
        c.beneficiaries.contains(&"农业经营主体".to_string()),
        "{c:?}"
    );
    // 上海市预防职务犯罪工作若干规定: a reward beside a prohibition.
    let c = classify(
        "国家机关和有关单位应当公开举报电话、举报信箱或者电子邮箱、通讯地址；对举报人的相关信息和举报内容严格保密，不得打击报复举报人，对实名举报属实的举报人依照有关规定给予奖励。",
    );
    assert_eq!(c.benefits, ["资金奖励"], "{c:?}");
}

#[test]
fn issue_12_list_items_complete_their_lead_in() {
    // Items of a penalty, a prohibition or a definition offer nothing.
    for text in [
        "第五十二条 国家机关及其工作人员有下列行为之一的，由有关机关给予行政处分：\n（一）截留、挪用被征地农民的安置补助费的；\n（二）违反规定发放补贴的。",
        "第九条 中介机构及其从业人员不得存在以下情形：\n（一）通过获取股票公开发行上市奖励费等方式谋取不正当利益；\n（二）其他违反国家规定的收费行为。",
        "第二十二条 本法所称援助、贷款项目，包括：\n（一）国际组织向中国政府提供的贷款项目；\n（二）由中国政府担保的贷款项目。",
    ] {
        assert!(benefits(text).is_empty(), "{text}: {:?}", classify(text));
    }
    // A lead-in that grants keeps its items.
    let text = "第五条 下列房产免纳房产税：\n一、国家机关、人民团体、军队自用的房产；\n二、个人所有非营业用的房产。";
    assert_eq!(benefits(text), ["税收优惠"], "{:?}", classify(text));
}

#[test]
fn issue_12_words_that_describe_a_party_or_a_thing_grant_nothing() {
    for text in [
        "对接受政府生均经费补助的非营利性民办学校，省人民政府可以对其收费制定最高限价。",
        "组织展销会或者为销售者提供场地、设施的单位，应当依法承担质量责任。",
        "公安机关办理登记时，应当查验完税凭证或者免税证明。",
        "市、区人民政府在土地供应、税费减免、项目申报等方面，应当依法平等对待外商投资企业。",
        "行业协会应当加强行业自律，为会员提供信息、技术、培训等服务。",
    ] {
        assert!(benefits(text).is_empty(), "{text}: {:?}", classify(text));
    }
    // The same words where they are given.
    assert_eq!(
        benefits(
            "对从事个体经营的残疾人，有关部门应当依法免除行政事业性收费，并在经营场地等方面给予照顾。"
        ),
        ["税收优惠", "场地服务"]
    );
}

#[test]
fn issue_12_procedures_criteria_and_sources_grant_nothing() {
    for text in [
        // Materials an applicant hands in, and the items of that list.
        "第八条 申请资质应当提交下列材料：\n（一）申请表；\n（二）专业技术人员的职称证书；\n（三）办公场所证明材料。",
        // A criterion.
        "相关数据作为实施表彰奖励的依据。",
        // Where money comes from.
        "第十二条 公路建设资金的来源包括：\n（一）财政拨款；\n（二）金融机构的贷款、赠款。",
        // A tortfeasor's damages.
        "造成残疾的，侵害人还应当支付残疾者生活补助费、残疾赔偿金。",
        // Honours already held.
        "国家荣誉称号获得者应当按照规定佩带奖章，妥善保管证书。",
    ] {
        assert!(benefits(text).is_empty(), "{text}: {:?}", classify(text));
    }
}

#[test]
fn issue_12_support_named_by_area_and_for_groups() {
    let c = benefits("城市人民政府应当在投资、贷款、税收等方面给予扶持。");
    assert_eq!(c, ["资金奖励", "金融支持", "税收优惠"]);
    assert_eq!(
        benefits("管理单位对未成年人、老年人、残疾人等群体实行减免。"),
        ["补贴补助"]
    );
}

/// Support the fourth rules round reads (issue 12, benefit recall): services promised across a
/// list of fields, technical help, convenience services, a share of a fund set aside, a loan
/// ceiling raised, training among the fields of help, models held up, entrepreneurs cultivated,
/// upkeep subsidies; an honour given to a patent's inventors is not a patent right.
#[test]
fn issue_12_support_by_fields_services_and_shares() {
    for (text, want) in [
        (
            "有关部门应当为企业在项目审批、物流通关等方面提供便利。",
            &["场地服务"][..],
        ),
        ("县级人民政府应当给予技术指导和支持。", &["场地服务"]),
        (
            "鼓励设立服务站点，为快递员提供休息、饮水等便利服务。",
            &["场地服务"],
        ),
        (
            "市人民政府应当从土地出让收入中确定一定比例予以扶持。",
            &["资金奖励"],
        ),
        (
            "购买节能住房的，住房公积金贷款额度可以适当提高。",
            &["金融支持"],
        ),
        (
            "有关部门应当在培训就业、社会保险等方面给予小微企业政策扶持。",
            &["人才支持"],
        ),
        ("各地应当选树一批节水先进典型。", &["认定授牌"]),
        ("加强企业家队伍培育。", &["人才支持"]),
        (
            "区人民政府应当重点保障特困老年人入住公办养老机构。",
            &["场地服务"],
        ),
        ("本市建立科学仪器共享服务平台。", &["场地服务"]),
        (
            "产业发展专项资金应当重点用于中小企业技术改造。",
            &["资金奖励"],
        ),
        (
            "市人民政府应当将新材料研究作为政府科技投入的重点领域。",
            &["资金奖励"],
        ),
        ("对捐赠财产兴办养老机构的，依法给予优惠。", &["税收优惠"]),
        ("预算用于古树名木的养护补助。", &["补贴补助"]),
        ("对取得专利的发明人和设计人给予表彰。", &["认定授牌"]),
    ] {
        assert_eq!(benefits(text), want, "{text}");
    }
    // A patent granted is a right, not an honour.
    assert!(benefits("国务院专利行政部门作出授予专利权的决定，发给专利证书。").is_empty());
}
