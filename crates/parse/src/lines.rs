//! Lines of page text and the rules that tell portal chrome from document text.
//!
//! Portal chrome (login prompts, breadcrumbs, browser hints, share and print widgets,
//! footers with 主办单位, ICP and 公安备案 numbers, hotlines and office hours) is short,
//! has no sentence punctuation and uses a small vocabulary; the rules below are about
//! that vocabulary, not about any one site.

use std::sync::LazyLock;

use regex::Regex;

/// One line of visible text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Line {
    pub text: String,
    /// Characters of `text` that are link text.
    pub link_chars: usize,
    /// Inside the page's main content region (always true for plain text).
    pub in_content: bool,
    /// Inside `<h1>`–`<h3>`.
    pub heading: bool,
    /// The `<h1>`–`<h3>` element the line is in: lines of one heading broken by `<br>`
    /// share it.
    pub heading_node: Option<ego_tree::NodeId>,
    /// Inside an element marked as navigation, footer or a widget.
    pub chrome: bool,
}

impl Line {
    pub fn plain(text: &str) -> Line {
        Line {
            text: text.to_string(),
            in_content: true,
            ..Line::default()
        }
    }

    /// The whole line is link text (a menu entry, a related-article link).
    pub fn is_link_only(&self) -> bool {
        let chars = self.text.chars().filter(|c| !c.is_whitespace()).count();
        chars > 0 && self.link_chars * 10 >= chars * 9
    }
}

/// Splits plain text into trimmed, non-empty lines.
pub(crate) fn text_lines(text: &str) -> Vec<Line> {
    text.lines()
        .map(trim_line)
        .filter(|l| !l.is_empty())
        .map(Line::plain)
        .collect()
}

/// Trims ASCII and ideographic white space (and stray markdown heading marks).
pub(crate) fn trim_line(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .trim_start_matches('#')
        .trim_start()
}

/// Chrome vocabulary that alone makes up a line: removing every such word and the
/// separators between them leaves (almost) nothing.
const CHROME_WORDS: &[&str] = &[
    "帮助中心",
    "关于我们",
    "联系我们",
    "网站地图",
    "网站导航",
    "平台简介",
    "客服咨询",
    "在线客服",
    "会员中心",
    "退出登录",
    "用户登录",
    "登录",
    "注册",
    "首页",
    "返回首页",
    "返回顶部",
    "回到顶部",
    "打印本页",
    "打印此页",
    "打印",
    "关闭窗口",
    "关闭本页",
    "关闭",
    "收藏本页",
    "加入收藏",
    "收藏",
    "分享到",
    "分享",
    "字体",
    "字号",
    "大",
    "中",
    "小",
    "默认",
    "放大",
    "缩小",
    "正常",
    "上一篇",
    "下一篇",
    "上一条",
    "下一条",
    "无障碍浏览",
    "无障碍",
    "繁體",
    "简体",
    "繁体",
    "English",
    "切换到",
    "长者模式",
    "扫一扫",
    "微信",
    "微博",
    "二维码",
    "手机版",
    "相关链接",
    "友情链接",
    "相关文章",
    "相关阅读",
    "热门搜索",
    "搜索",
    "详细页",
    "正文",
    "浏览次数",
    "阅读次数",
    "访问量",
    "点击数",
    "次",
    "纠错",
    "我要纠错",
    "政务微博",
    "政务微信",
    "当前位置",
    "您的位置",
    "您现在的位置",
    "所在位置",
    "位置",
    "更多",
    "视力保护色",
    "相关文件",
    "相关新闻",
    "相关解读",
    "相关稿件",
    "延伸阅读",
    "推荐阅读",
    "热点推荐",
    "猜你喜欢",
    "返回列表",
    "返回上一页",
    "在线咨询",
];

static CHROME_LINE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // Filing numbers and site identity.
        r"ICP\s*备|ICP证|公网安备|网安备|网站标识码|政府网站标识码",
        r"版权所有|Copyright|copyright|©|\(c\)\s*\d{4}",
        r"^(主办|承办|协办|技术支持|运维|维护|建设)(单位|机构)?\s*[:：]",
        r"^技术支持",
        // Greetings and account prompts.
        r"^欢迎(来到|光临|访问|您)|^尊敬的.{0,12}欢迎|^您好[,，!！]?\s*(请|欢迎)",
        r"请\s*登录|登录\s*[|｜/]\s*注册|\[?\s*退出登录\s*\]?",
        // Browser hints.
        r"浏览器|分辨率|用户体验",
        // Breadcrumbs.
        r"^(当前位置|您的位置|您现在的位置|您当前的位置|所在位置|位置)\s*[:：]",
        r"^首页\s*[>＞»›/]",
        // Phone lines and office hours.
        r"^(服务)?(热线|电话|客服|咨询电话|联系电话|传真|邮编|地址|邮箱|E-?mail)\s*[:：]?\s*[\d\-— ()（）]{5,}$",
        r"^[\d\-— ]{7,}$",
        r"^(工作日|节假日|周末|周一至周[五日])\s*[:：]?\s*\d{1,2}[:：]\d{2}",
        r"^\d{1,2}[:：]\d{2}\s*[-—~～至]\s*\d{1,2}[:：]\d{2}$",
        // Widgets.
        r"^【?\s*字[体号]\s*[:：]",
        r"扫一扫|扫码|在手机(上)?打开",
        r"^(上|下)一(篇|条)\s*[:：]",
        r"^(浏览|阅读|访问|点击)(次数|量|数)\s*[:：]",
        r"^分享到\s*[:：]?",
        r"^相关(解读|链接|文件|新闻|阅读|文章|稿件|专题)\s*[:：]",
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid chrome regex"))
    .collect()
});

/// Patterns that open a page's footer: everything after them is chrome.
static FOOTER_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(主办|承办)(单位)?\s*[:：]|ICP\s*备|公网安备|版权所有|Copyright|^技术支持|网站标识码|^网站地图$|^关于我们$",
    )
    .expect("valid footer regex")
});

/// Longest line that the chrome rules may judge; longer lines are document text.
const MAX_CHROME_CHARS: usize = 90;

/// Whether a line is portal chrome rather than document text.
pub(crate) fn is_chrome(text: &str) -> bool {
    let chars = text.chars().count();
    if chars > MAX_CHROME_CHARS || text.contains('。') {
        return false;
    }
    if CHROME_LINE.iter().any(|re| re.is_match(text)) {
        return true;
    }
    only_chrome_words(text)
}

fn only_chrome_words(text: &str) -> bool {
    let mut rest: String = text.to_string();
    for word in CHROME_WORDS {
        if rest.contains(word) {
            rest = rest.replace(word, " ");
        }
    }
    let meaningful = rest
        .chars()
        .filter(|c| c.is_alphanumeric() && !c.is_ascii_digit())
        .count();
    meaningful == 0
}

/// Whether a line opens the page footer.
pub(crate) fn is_footer_start(text: &str) -> bool {
    text.chars().count() <= MAX_CHROME_CHARS && FOOTER_START.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_chrome_lines() {
        for line in [
            "X为了获得更好的用户体验,请使用火狐、谷歌、360浏览器极速模式或IE8及以上版本的浏览器",
            "帮助中心 | 关于我们",
            "欢迎来到辽阳市科技创新服务平台,请 登录 | 注册",
            "尊敬的 , 欢迎光临!  [会员中心]  [退出登录]",
            "当前位置:首页 > 政策 > 详细页",
            "主办单位:辽阳市科学技术局",
            "技术支持单位:科易网",
            "辽ICP备16017206号-1",
            "辽公网安备 21100302203138号",
            "400-649-1633",
            "工作日:08:30-21:00",
            "13:30-17:30",
            "扫一扫在手机打开当前页",
            "打印本页",
            "【字体：大 中 小】",
            "分享到：",
        ] {
            assert!(is_chrome(line), "{line}");
        }
    }

    #[test]
    fn document_lines_are_kept() {
        for line in [
            "(此件公开发布)",
            "辽宁省科学技术厅",
            "2020年2月25日",
            "一、加强创新顶层设计,谋划布局新时代科技创新工作",
            "30.加快培育瞪羚独角兽企业,组织成立辽宁省瞪羚独角兽企业俱乐部,对新培育的瞪羚独角兽企业给予奖励性后补助。全省培育瞪羚独角兽企业达200家。(牵头处室:高新区处)",
            "附件：全省部分投资20亿元以上重大产业项目入库名单",
            "第一条 为了规范口岸开放，提高口岸通关效率。",
            "各市、县（区）人民政府，省政府各部门：",
        ] {
            assert!(!is_chrome(line), "{line}");
        }
    }
}
