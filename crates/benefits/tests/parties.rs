//! Issue 12, beneficiary classes: who a provision names as a party. A mention counts when
//! the party is supported, recognised, built up or regulated, not when it is only a place
//! where something happens, a reviewer or adviser, the staff a licence requires, or a field
//! in a list (GUIDELINE.md, `beneficiary` and rule 13). Real provisions of the development
//! and training files, quoted.

use zhengce_benefits::{classify, resolve_beneficiary};

fn parties(text: &str) -> Vec<String> {
    classify(text).beneficiaries
}

fn assert_not_named(text: &str, class: &str) {
    let got = parties(text);
    assert!(
        !got.iter().any(|c| c == class),
        "{class} in {got:?}: {text}"
    );
}

fn assert_named(text: &str, class: &str) {
    let got = parties(text);
    assert!(
        got.iter().any(|c| c == class),
        "{class} not in {got:?}: {text}"
    );
}

#[test]
fn issue_12_places_and_fields_in_a_list_are_no_party() {
    // train_4 row 213 (城市停车场): hospitals among places where parking is added.
    assert_not_named(
        "根据道路交通需求，在不影响行人、车辆通行的情况下，公安机关交通管理部门会同城市管理行政执法部门、住房和城乡建设行政主管部门，可以在医院、学校、农贸市场、商场、车站等人员密集场所周边的道路和其他公共场地上增设临时免费停车泊位。",
        "医疗卫生机构",
    );
    // train_4 row 154: hospitals among crowded places where lift insurance is promoted.
    assert_not_named(
        "市、区（市）人民政府应当采取措施，对学校、幼儿园、医院、车站、商场、体育场馆、景区等公众聚集场所推行电梯安全责任保险。",
        "医疗卫生机构",
    );
    // dev_fresh row 718: the parties whose role in popular science is drawn on.
    assert_not_named(
        "第二十六条 农村基层群众性自治组织协助当地人民政府根据当地经济与社会发展的需要，围绕科学生产、文明健康生活，发挥农村科普组织、农村学校、基层医疗卫生机构等作用，开展科普工作，提升农民科学文化素质。\n各类农村经济组织、农业科研和技术推广机构、农民教育培训机构、农村专业技术协（学）会以及科技特派员等，应当开展农民科技培训和农业科技服务，结合推广先进适用技术和科技成果转化应用向农民普及科学技术。",
        "医疗卫生机构",
    );
    // dev_fresh row 820: 人才引进 is one field of help, no talent is named.
    assert_not_named(
        "第十二条 鼓励境内外举办单位、场馆单位和会展服务单位在本市设立总部，并在通关流程、人才引进、资金结算、投资便利、人员出入境等方面按照规定给予支持。",
        "人才专家",
    );
    // train_3 row 331 (深海法): laboratories among the places opened to the public.
    assert_not_named(
        "第十七条 国家鼓励单位和个人通过开放科学考察船舶、实验室、陈列室和其他场地、设施，举办讲座或者提供咨询等多种方式，开展深海科学普及活动。",
        "创新平台",
    );
    // train_4 row 251: a hospital named as one of the projects of foreign aid.
    assert_not_named(
        "四、关于向“一带一路”沿线国家提供除砷设备、技术和改水援助近年来，我国政府根据受援国政府的请求，在援外资金中安排实施尼泊尔水污染综合治理、斯里兰卡肾病医院等项目，开展多期水污染防治专题培训班，产生良好的综合效应。",
        "医疗卫生机构",
    );
    // labelled row 126: a list of parties (not places) closed by 等 is still aimed at.
    assert_named(
        "7.建设创新高地。综合运用综合保税区政策功能优势，支持国家产业创新中心、国家技术创新中心、国家工程研究中心、新型研发机构等研发创新机构在综合保税区发展。（发展改革委、科技部、海关总署负责）",
        "新型研发机构",
    );
}

#[test]
fn issue_12_reviewers_advisers_staff_and_workforces_are_no_talent() {
    // dev_fresh row 12 (电影管理条例): experts who review films.
    assert_not_named(
        "第十八条 进行电影审查应当组织不少于五名专家进行评审，由专家提出评审意见。法人、其他组织对专家评审意见有异议的，国务院电影主管部门或者省、自治区、直辖市人民政府电影主管部门可以另行组织专家再次评审。专家的评审意见应当作为作出审查决定的重要依据。",
        "人才专家",
    );
    // train_4 row 132: experts of an advisory mechanism, bound to secrecy.
    assert_not_named(
        "第五条 国务院商务主管部门会同国家有关部门建立两用物项出口管制专家咨询机制，为两用物项出口管制工作提供咨询意见。专家应当维护国家安全和利益，客观、公正、科学、严谨地提供咨询意见，并对咨询中所知悉的国家秘密、工作秘密、商业秘密和个人隐私、个人信息等依法负有保密义务。",
        "人才专家",
    );
    // train_4 row 93 (招标投标): the experts of a bid evaluation committee, drawn from a list.
    assert_not_named(
        "依法必须进行招标项目的评标委员会，由招标人的代表和有关技术、经济等方面的专家组成，成员人数为五人以上单数，其中技术、经济等方面的专家不得少于成员总数的三分之二。\n前款专家应当由招标人从国务院有关部门或者市人民政府有关部门提供的评标专家名册或者招标代理机构的专家库内的相关专业的专家名单中采取随机抽取方式确定。",
        "人才专家",
    );
    // train_4 row 177: 参与 (take part) is no 与 (with) before a list of people.
    assert_not_named(
        "第十二条 参与涉及国家秘密的科学技术项目立项定密、成果鉴定、密级评价的专家、技术人员和其他知密人员，应当承担保密义务，不得泄露、使用或者向他人提供、转让该项技术。",
        "人才专家",
    );
    // dev_fresh row 716 (终身教育): experts encouraged to volunteer give, they are not given.
    assert_not_named(
        "国家机关、企业事业单位、社会团体、民办非企业单位和其他社会组织应当积极创造条件，为本组织成员终身学习提供保障和服务，鼓励其建立带薪学习制度和学习奖励制度，支持在职人员接受教育培训。\n鼓励专家、学者以及具有专业知识和特殊技能的市民为终身教育提供志愿服务。",
        "人才专家",
    );
    // dev_fresh row 984: a government's plan for its own cadres and specialists.
    assert_not_named(
        "第十条 市和区县（自治县）人民政府应当制定选拔、培养、使用少数民族干部和各类专业人才的规划，切实组织实施。",
        "人才专家",
    );
    // dev_fresh row 310: an office's own workforce built up as capacity.
    assert_not_named(
        "（十五）提升队伍能力。省、市级生态环境部门应统筹考虑环评工作的专业性和质量要求，合理实施分级管理，强化队伍建设和人才培养，持续提升基层环评审查审批和评估能力。",
        "人才专家",
    );
    // train_4 row 124: technicians a licence requires the enterprise to have.
    assert_not_named(
        "第九条 企业取得生产许可证，应当符合下列条件：\n（一）有营业执照；\n（二）有与所生产产品相适应的专业技术人员；\n（三）有与所生产产品相适应的生产条件和检验检疫手段；",
        "人才专家",
    );
    // dev_fresh row 213: researchers rewarded for a contribution stay talents.
    assert_named(
        "第七条 政府资助的研究开发和产业化项目产生的专利，属项目承担单位所有。对有突出贡献的科技人员，可以按照省人民政府有关规定奖给一定比例的知识产权。",
        "人才专家",
    );
}

#[test]
fn issue_12_where_a_patient_is_sent_is_no_party() {
    // train_4 row 190 (城市生活无着的流浪乞讨人员救助管理办法): a hospital a person is sent to.
    assert_not_named(
        "第七条 救助站应当根据受助人员的需要提供下列救助：\n(一)提供符合食品卫生要求的食物；\n(二)提供符合基本条件的住处；\n(三)对在站内突发急病的，及时送医院救治；",
        "医疗卫生机构",
    );
    // dev_fresh row 940: the institution designated to treat a complication.
    assert_not_named(
        "第二十八条 因接受国家规定基本项目的节育手术出现并发症的，由县级以上节育手术并发症医学鉴定组织鉴定，并由县级以上人民政府卫生健康主管部门审核确定后，指定医疗卫生机构治疗。医疗费按照第二十六条的规定执行。\n职工因接受国家规定基本项目的节育手术出现并发症而丧失劳动能力的，参照工伤事故处理；职工以外的其他人员因此而导致生活困难的，由当地人民政府给予适当补助。",
        "医疗卫生机构",
    );
}

#[test]
fn issue_12_the_party_a_clause_regulates_is_named() {
    // train_4 row 215 (农民专业合作社登记管理条例): the subject of a naming rule.
    assert_named(
        "第六条 农民专业合作社的名称应当含有“专业合作社”字样，并符合国家有关企业名称登记管理的规定。",
        "农业经营主体",
    );
    // train_4 row 178 (人体器官移植条例): the duty is in the clause after the one the
    // institution opens.
    assert_named(
        "第十一条 医疗机构从事人体器官移植，应当依照《医疗机构管理条例》的规定，向所在地省、自治区、直辖市人民政府卫生主管部门申请办理人体器官移植诊疗科目登记。",
        "医疗卫生机构",
    );
    // train_4 row 220: a registration rule, the duty after the condition.
    assert_named(
        "第二十条 农民专业合作社的名称、住所、成员出资总额、业务范围、法定代表人姓名发生变更的，应当自做出变更决定之日起30日内向原登记机关申请变更登记，并提交下列文件：",
        "农业经营主体",
    );
    // labelled row 191: the experts a selection gives priority to.
    assert_named(
        "（五）担任过北京市级或国家级老中医药专家学术经验继承工作指导老师、已建立北京中医药薪火传承\"3+3\"工程室站或全国名老中医药专家传承工作室、全国中医学术流派传承工作室的老中医药专家优先。",
        "人才专家",
    );
    // train_4 row 232 (病原微生物实验室生物安全管理条例): a biosafety laboratory is regulated,
    // but it is no platform of innovation.
    assert_not_named(
        "第十九条 新建、改建、扩建三级、四级实验室或者生产、进口移动式三级、四级实验室应当遵守下列规定：\n(一)符合国家生物安全实验室体系规划并依法履行有关审批手续；",
        "创新平台",
    );
}

#[test]
fn issue_12_research_institutes_partners_and_platform_names() {
    // train_1 row 25: 研究开发机构 is the laws' word for a research institute.
    assert_named(
        "第四十三条 市和区、县人民政府应当保障农业科学技术进步的投入，完善农业科学技术进步管理机制和服务体系，支持公益性农业科学技术研究开发机构和农业技术推广机构开展农业科学技术的研究开发及应用，发展高效生态现代农业。",
        "高校院所",
    );
    // train_4 row 14: the universities and institutes a private firm partners with.
    assert_not_named(
        "第十七条 鼓励民营经济组织设立企业技术中心、科研实验基地、博士后工作站等科技创新平台或者与国内外高等学校、科研机构、大型企业合作建立产学研用相结合的研发机构。",
        "高校院所",
    );
    // dev_fresh row 429: a 博士后工作站 is a platform, not a talent; the universities that
    // found it are aimed at.
    let text =
        "鼓励高等院校、科研院所与企业联合兴办研发机构、博士后工作站、成果转化基地等合作组织。";
    assert_not_named(text, "人才专家");
    assert_named(text, "高校院所");
    // dev_fresh row 411: a list of schools whose graduates a firm may hire.
    assert_not_named(
        "第七条 民营科技企业的合法权益受法律保护，同时享有下列权利：\n（一）国家和省规定的税收优惠待遇；\n（七）选聘接纳高等院校、中等专业学校毕业生和专业技术人员；",
        "高校院所",
    );
}

#[test]
fn issue_12_researchers_and_entrepreneurs_are_talents() {
    // dev_fresh row 454 (农作物种子): the scientists a share of sales rewards.
    assert_named(
        "第四十六条 经省人民政府授权部门审定的农作物新品种，销售单位应在一定年限内从销售总额中逐年提取一定比例的金额返还给完成科学技术成果的单位，主要用于研究开发的再投入，并从中提取适当比例用于奖励对研究选育新品种做出贡献的科学技术工作者。",
        "人才专家",
    );
    // train_4 row 34: entrepreneurs trained.
    assert_named(
        "培养高素质企业家队伍，提高企业营销、管理和技术水平。",
        "人才专家",
    );
    // dev_fresh row 468: the 名中医 inside 知名中医药院校 is no famous doctor.
    assert_not_named(
        "第四十六条 支持知名中医药院校与本市高校合作共建中医药院校或者学科，推进本市高等院校开设中医药专业，大力发展中医药职业教育。",
        "人才专家",
    );
    // dev_fresh row 928: the 企业家 inside 家政企业家政服务 is no entrepreneur.
    assert_not_named(
        "第二十条 支持发展员工制家政企业。县级以上人民政府人力资源社会保障主管部门应当在培训就业、社会保险等方面给予员工制家政企业政策扶持。\n员工制家政企业家政服务岗位不能实行标准工时制度的，由企业申请，经县级以上人民政府人力资源社会保障主管部门批准，可以实行特殊工时制度。",
        "人才专家",
    );
}

#[test]
fn issue_12_collectives_the_expropriated_and_office_names_are_no_party() {
    // train_4 row 176 (浙江省村经济合作社组织条例): a village's collective economic
    // organisation is no farm business.
    assert_not_named(
        "第八条 各级人民政府应当鼓励和支持村经济合作社发展，在资金、用地、交通、供水、供电等方面制定具体措施予以扶持，并为其提供必要的公共服务。",
        "农业经营主体",
    );
    // train_3 row 304 (土地管理法实施条例): farmers whose land is taken are compensated.
    assert_not_named(
        "社会保障费用主要用于符合条件的被征地农民的养老保险等社会保险缴费补贴，按照省、自治区、直辖市的规定单独列支。",
        "农业经营主体",
    );
    // train_4 row 152: 中小企业 in the name of the guarantee centre a firm joins.
    assert_not_named(
        "第二十六条 非公有制企业可以向银行申请贷款，符合条件的，银行应当给予办理贷款手续。非公有制企业也可以按规定加入中小企业信用担保服务中心，并享受有关优惠政策。",
        "中小微企业",
    );
}

/// train_1 row 150 (规模农产品生产者实行农产品合格证管理): producers of farm products, and
/// the other names of farm businesses, are 农业经营主体.
#[test]
fn issue_12_farm_producers_are_farm_businesses() {
    for name in ["农产品生产者", "农业劳动者", "专业大户", "种植大户"] {
        assert_eq!(resolve_beneficiary(name), Some("农业经营主体"), "{name}");
    }
}
