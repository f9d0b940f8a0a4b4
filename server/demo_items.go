package server

import "sanshen/review"

// demoItems returns the demo's items: realistic drafts of a city management
// commission's portal, written for Sanshen. Some carry planted problems for
// the pre-checks (marked in comments); the workflow steps leave a few at
// every stage.
func demoItems() []demoItem {
	approve := demoStep{Act: "approve"}
	publish := demoStep{Act: "publish"}
	return []demoItem{
		// ---- waiting for the first review ----
		{
			// Planted: common typos 既使 (即使) and 按装 (安装).
			Title:  "市城市管理委部署今冬明春市容环境整治工作",
			Column: "新闻动态",
			Body: `11月20日，市城市管理委召开今冬明春市容环境整治工作部署会，对全市冬季市容环境整治工作进行全面部署。

会议要求，各区要围绕主次干道、背街小巷、城乡结合部等重点区域，集中开展道路清扫保洁、乱堆乱放清理、违规广告牌匾拆除等专项行动。既使遇到雨雪天气，也要确保主干道路面整洁、通行顺畅。

会议强调，施工工地要按规定按装防护围挡，落实车辆冲洗和渣土覆盖措施，严防扬尘污染。各区城市管理部门要建立问题台账，实行“发现—交办—整改—复查”闭环管理，每周向市城市管理委报送工作进展。

下一步，市城市管理委将组织专项督查组，采取明查暗访相结合的方式，对各区整治情况进行检查，检查结果纳入月度考核。`,
		},
		{
			// Planted: a document number with [] instead of 〔〕, and a
			// half-width comma inside Chinese text.
			Title:    "关于开展2026年度燃气安全隐患排查整治的通知",
			Column:   "通知公告",
			Proposed: review.DisclosureProactive,
			Body: `津城管办[2026]58号

各区城市管理委,各燃气经营企业：

为深刻汲取近期燃气安全事故教训，切实防范化解燃气安全风险，市城市管理委决定自即日起至2027年3月31日，在全市范围内开展燃气安全隐患排查整治。现将有关事项通知如下：

一、排查范围
全市城镇燃气经营企业、餐饮等燃气使用单位以及居民用户。

二、重点内容
（一）燃气经营企业安全生产主体责任落实情况；
（二）餐饮场所燃气报警装置安装和使用情况；
（三）老旧小区燃气管道、设施老化情况；
（四）居民用户使用不合格燃气具、橡胶软管超期使用情况。

三、工作要求
各区要于每月5日前将上月排查整治情况报送市城市管理委燃气管理处。

特此通知。`,
		},
		{
			Title:    "城市道路挖掘许可办事指南",
			Column:   "办事服务",
			Proposed: review.DisclosureProactive,
			Body: `一、事项名称
城市道路挖掘许可

二、设定依据
《城市道路管理条例》第三十条、第三十三条。

三、申请条件
因工程建设需要挖掘城市道路的，持城市规划部门批准签发的文件和有关设计文件，到市政工程行政主管部门和公安交通管理部门办理审批手续。

四、申请材料
（一）城市道路挖掘申请表；
（二）规划部门批准文件；
（三）施工设计图纸及施工方案；
（四）交通疏解方案。

五、办理时限
法定时限20个工作日，承诺时限5个工作日。

六、收费标准
按照本市城市道路挖掘修复费标准收取。

七、咨询电话
022-12345（工作日9:00—17:00）`,
		},
		{
			// HTML with a script: stored as given, shown as text, never run.
			Title:       "我市新增垃圾分类示范社区12个",
			Column:      "新闻动态",
			ContentType: review.ContentHTML,
			Body: `<h2>我市新增垃圾分类示范社区12个</h2>
<p>近日，市城市管理委会同各区公布了2026年度生活垃圾分类示范社区名单，和平区新兴街道朝阳里社区等12个社区入选。</p>
<p>据介绍，示范社区普遍实现了厨余垃圾、可回收物、有害垃圾和其他垃圾“四分类”投放点全覆盖，居民分类投放准确率达到90%以上。</p>
<script>alert("这段脚本只应显示为文字，不应执行");</script>
<p>下一步，市城市管理委将总结推广示范社区经验，推动垃圾分类从“示范创建”向“全面覆盖”转变。</p>`,
		},
		{
			// Planted: a dead link in the HTML body.
			Title:       "关于公园夜间开放时间调整的公告",
			Column:      "通知公告",
			ContentType: review.ContentHTML,
			Proposed:    review.DisclosureProactive,
			Body: `<p>为方便市民冬季夜间休闲健身，经研究，自2026年12月1日起，市管公园夜间开放时间调整如下：</p>
<ul>
<li>水上公园、人民公园：6:00—21:00；</li>
<li>中山公园、北宁公园：6:00—20:30。</li>
</ul>
<p>各公园将加强夜间照明和安保巡查，请游园市民注意防寒保暖、文明游园。详情见<a href="http://127.0.0.1:9/notice.html">公园开放时间一览表</a>。</p>
<p>特此公告。</p>`,
		},
		{
			// Planted: an unmasked 18-digit ID number with a valid check digit.
			Title:      "市城市管理委2026年公开招聘事业单位工作人员拟聘用人员公示",
			Column:     "人事信息",
			Department: "组织人事处",
			Body: `根据《天津市事业单位公开招聘人员实施办法》，经笔试、面试、体检和考察，现将市城市管理委所属事业单位2026年公开招聘拟聘用人员名单予以公示：

1. 张伟，男，市市容环境管理中心，环境工程岗，身份证号120101198506123215；
2. 李静，女，市道路照明管理中心，电气工程岗，身份证号1201**********0043。

公示期为2026年11月25日至12月1日（5个工作日）。公示期间，如对拟聘用人员有异议，可向市城市管理委组织人事处反映。反映情况须实事求是，并提供必要的联系方式。

联系电话：022-23456789`,
		},
		{
			// Planted: a secrecy marker.
			Title:    "关于加强城市道路照明设施管理的实施意见（征求意见稿）",
			Column:   "政策文件",
			Proposed: review.DisclosureOnRequest,
			Body: `内部资料 注意保存

为进一步加强我市城市道路照明设施管理，提高道路照明设施完好率和亮灯率，根据《天津市城市照明管理规定》，结合工作实际，提出以下实施意见。

一、明确管理责任。城市道路照明设施由市道路照明管理中心统一管理，各区负责辖区内支路和背街小巷照明设施的日常维护。

二、提高维护标准。主干道亮灯率不低于98%，次干道和支路不低于96%；设施故障实行“24小时修复”制度。

三、推进节能改造。到2027年底，全市城市道路照明LED灯具占比达到85%以上。

四、加强监督考核。市城市管理委对各区照明设施管理情况每季度检查一次。`,
		},
		{
			Title:  "2026—2027年度供热季正式启动",
			Column: specialColumn,
			Body: `11月15日零时，我市2026—2027年度供热季正式启动。全市集中供热面积约5.3亿平方米，惠及居民用户约520万户。

为确保供热平稳运行，市城市管理委提前部署供热设施检修、燃料储备和应急保障工作，全市供热企业完成管网检修改造约360公里。供热期间，市、区两级供热管理部门实行24小时值班制度。

市民如遇室温不达标等问题，可拨打供热服务热线反映。`,
		},
		{
			// Returned at the first stage and resubmitted: two versions,
			// back at the first stage.
			Title:      "城市管理“十五五”规划编制工作进展情况",
			Column:     "规划计划",
			Department: "规划发展处",
			Body: `按照市委、市政府统一部署，市城市管理委自2025年起启动城市管理“十五五”规划编制工作。

目前，规划编制已完成前期调研和基础数据收集，形成了规划基本思路。规划拟围绕市容环境、环境卫生、燃气供热、城市照明、公园绿地等领域，提出“十五五”期间发展目标和重点任务。

下一步，将广泛征求各区、各部门和社会公众意见，力争年底前形成规划初稿。`,
			Steps: []demoStep{
				{Act: "return", Fail: review.CheckText, Comment: "“十五五”期间的起止年份未写明", Reason: "请补充规划期起止年份，并写明征求意见的方式和时间。"},
				{Act: "resubmit", Edits: []string{
					"提出“十五五”期间发展目标和重点任务。", "提出“十五五”期间（2026—2030年）发展目标和重点任务。",
					"下一步，将广泛征求各区、各部门和社会公众意见，", "下一步，将于2026年12月通过委网站“意见征集”栏目广泛征求各区、各部门和社会公众意见，",
				}},
			},
		},

		// ---- waiting for the second review ----
		{
			Title:  "全市市容巡查发现问题整改率达98%",
			Column: "新闻动态",
			Body: `今年以来，市城市管理委持续开展市容环境常态化巡查，累计巡查道路1.2万余条次，发现并交办各类市容问题4.6万件，整改完成4.5万件，整改率达98%。

巡查重点包括占道经营、乱贴乱画、垃圾暴露、绿地损坏等问题。对反复出现的问题，市城市管理委实行挂账督办，督促属地限期整改。`,
			Steps: []demoStep{approve},
		},
		{
			// A proofread at the first stage: the second stage sees the diff.
			Title:    "户外广告设施设置审批办事指南",
			Column:   "办事服务",
			Proposed: review.DisclosureProactive,
			Body: `一、事项名称
户外广告设施设置审批

二、申请条件
在城市道路两侧、建筑物外立面等处设置户外广告设施的，应当符合户外广告设施设置规划和技术规范。

三、申请材料
（一）户外广告设施设置申请书；
（二）设置地点的产权证明或者使用权证明；
（三）设施设计效果图和结构安全证明。

四、办理时限
承诺时限5个工作日。

五、注意事项
户外广告设施设置期限一般不超过三年，期满需继续设置的，应当在期满前30日重新申请。`,
			Steps: []demoStep{
				{Act: "proofread", Edits: []string{"承诺时限5个工作日。", "法定时限20个工作日，承诺时限5个工作日。", "（三）设施设计效果图和结构安全证明。", "（三）设施设计效果图和结构安全检测报告。"}},
				approve,
			},
		},
		{
			Title:    "关于做好2026年冬季除雪铲冰工作的通知",
			Column:   "通知公告",
			Proposed: review.DisclosureProactive,
			Body: `各区城市管理委，市容环境卫生管理中心：

为做好今冬明春除雪铲冰工作，保障降雪期间城市道路通行安全，现就有关事项通知如下：

一、各区要于12月1日前完成除雪机械检修和融雪剂储备，融雪剂储备量不低于上年度用量的120%。

二、降雪期间实行“以雪为令、边下边扫”，主干道、桥梁坡道、公交站台等重点部位要在雪停后6小时内清理完毕。

三、各区要加强值班值守，及时报送降雪和除雪工作信息。`,
			Steps: []demoStep{approve},
		},
		{
			Title:  "供热服务热线受理情况周报（第二周）",
			Column: specialColumn,
			Body: `11月22日至28日，全市供热服务热线共受理市民来电3216件，较上周下降18%。其中，反映室温不达标1874件，管道漏水412件，咨询类930件。

截至11月28日，已办结3097件，办结率96.3%。对室温不达标的用户，供热企业均已入户测温，并逐户制定整改措施。`,
			Steps: []demoStep{approve},
		},
		{
			// Returned, resubmitted, proofread at the first stage: three
			// versions, now at the second stage.
			Title:    "《天津市生活垃圾管理条例》实施情况解读",
			Column:   "政策文件",
			Proposed: review.DisclosureProactive,
			Body: `《天津市生活垃圾管理条例》实施以来，我市生活垃圾分类工作取得明显成效。

一、条例的主要内容
条例明确了生活垃圾分为厨余垃圾、可回收物、有害垃圾和其他垃圾四类，规定了单位和个人的分类投放义务。

二、实施成效
全市居民小区分类投放设施覆盖率达到100%，厨余垃圾日均分出量约2800吨。

三、下一步工作
继续加强宣传引导，强化分类收运体系建设。`,
			Steps: []demoStep{
				{Act: "return", Fail: review.CheckPolicy, Comment: "解读缺少背景依据和对违法行为处罚规定的说明", Reason: "按照管理办法第十一条，政策解读应介绍背景依据、主要内容和解决的问题，请补充。"},
				{Act: "resubmit", Edits: []string{
					"一、条例的主要内容", "一、制定背景\n为推进生活垃圾减量化、资源化、无害化，依据《中华人民共和国固体废物污染环境防治法》，结合本市实际，制定本条例。\n\n二、条例的主要内容",
					"二、实施成效", "三、法律责任\n个人未按规定分类投放生活垃圾的，由城市管理综合执法部门责令改正；拒不改正的，依法予以处罚。\n\n四、实施成效",
					"三、下一步工作", "五、下一步工作",
				}},
				{Act: "proofread", Edits: []string{"拒不改正的，依法予以处罚。", "拒不改正的，处五十元以上二百元以下罚款。"}},
				approve,
			},
		},

		// ---- waiting for the secrecy review ----
		{
			// A repost: the secrecy stage is required (rules art. 13).
			Title:      "住房城乡建设部部署开展城镇燃气安全专项整治",
			Column:     "新闻动态",
			RepostFrom: "https://www.mohurd.gov.cn/xinwen/gzdt/202611/20261118_000000.html",
			Body: `（转载自住房和城乡建设部网站）

近日，住房和城乡建设部召开视频会议，部署开展城镇燃气安全专项整治工作。会议要求，各地要全面排查燃气经营、输配、使用等环节安全隐患，加快老旧燃气管道更新改造，严厉打击违法违规经营行为。

会议强调，要压实企业主体责任、部门监管责任和属地管理责任，确保城镇燃气安全形势持续稳定。`,
			Steps: []demoStep{approve, approve},
		},
		{
			// The first reviewer is not sure about secrecy.
			Title:    "关于重点区域燃气管网改造施工的通告",
			Column:   "通知公告",
			Proposed: review.DisclosureProactive,
			Body: `因老旧燃气管网改造需要，2026年12月5日至2027年1月20日，将对河西区友谊路（围堤道至黑牛城道段）燃气中压管线进行更换施工。

施工期间，部分路段实行半幅封闭，途经车辆请减速慢行、服从现场指挥。施工涉及的居民小区将提前48小时张贴停气通知。

由此给市民出行和生活带来的不便，敬请谅解。`,
			Steps: []demoStep{{Act: "unsure", Comment: "通告写明了中压管线的具体走向，是否涉及关键基础设施信息，请保密员确认"}, approve},
		},
		{
			// The second reviewer is not sure about secrecy.
			Title:    "城市照明专项规划（2026—2035年）草案公示",
			Column:   "规划计划",
			Proposed: review.DisclosureProactive,
			Body: `为科学指导我市城市照明建设和管理，市城市管理委组织编制了《天津市城市照明专项规划（2026—2035年）》（草案），现予以公示。

规划范围为中心城区及环城四区，规划期限为2026年至2035年。规划提出构建“两轴、三带、多节点”的城市夜景照明格局，明确了功能照明和景观照明的建设标准。

公示期为30日。公众可通过委网站“意见征集”栏目或信函方式提出意见和建议。`,
			Steps: []demoStep{approve, {Act: "unsure", Comment: "附图是否包含重要目标位置，请保密审查"}},
		},

		// ---- waiting for the final sign-off ----
		{
			Title:  "全市公园绿地冬季养护工作全面展开",
			Column: "新闻动态",
			Body: `入冬以来，全市各公园和绿化养护单位全面开展冬季养护工作，对乔灌木进行修剪整形、涂白防虫，对新植苗木和不耐寒植物采取缠干、搭设风障等防寒措施。

截至目前，全市已完成树木涂白约35万株，浇灌冻水面积约2800万平方米。市城市管理委提醒市民，冬季游园请勿攀折树木、踩踏绿地。`,
			Steps: []demoStep{approve, approve},
		},
		{
			Title:    "燃气经营许可证核发办事指南",
			Column:   "办事服务",
			Proposed: review.DisclosureProactive,
			Body: `一、事项名称
燃气经营许可证核发

二、设定依据
《城镇燃气管理条例》第十五条。

三、申请条件
（一）符合燃气发展规划要求；
（二）有符合国家标准的燃气气源和燃气设施；
（三）有固定的经营场所、完善的安全管理制度和健全的经营方案；
（四）企业的主要负责人、安全生产管理人员以及运行、维护和抢修人员经专业培训并考核合格。

四、办理时限
承诺时限10个工作日。`,
			Steps: []demoStep{approve, approve},
		},
		{
			Title:      "市城市管理委干部任前公示",
			Column:     "人事信息",
			Department: "组织人事处",
			Body: `根据《党政领导干部选拔任用工作条例》有关规定，经委党组研究，拟任用以下同志，现予以公示：

王建国，男，1978年6月出生，大学学历，中共党员，现任市城市管理委燃气管理处副处长，拟任燃气管理处处长。

公示时间：2026年11月24日至11月30日。对公示对象有问题反映的，可以电话、信函或当面向委组织人事处反映。`,
			Steps: []demoStep{approve, approve},
		},
		{
			// Passed the secrecy stage, now at the final sign-off.
			Title:    "关于开展城市供热管网应急抢修演练的通知",
			Column:   "通知公告",
			Proposed: review.DisclosureProactive,
			Body: `各区城市管理委，各供热企业：

为检验供热管网突发事故应急处置能力，市城市管理委定于2026年12月10日组织开展供热管网应急抢修演练。

一、演练内容：模拟一次管网爆管事故，检验事故报告、停热通知、抢修作业和恢复供热全流程。
二、参演单位：市供热办、相关区城市管理委及供热企业。
三、请各单位于12月5日前报送参演人员名单。`,
			Steps: []demoStep{{Act: "unsure", Comment: "演练地点和管网位置是否可以公开，请保密员把关"}, approve, approve},
		},
		{
			// Proofread at the second stage: the final stage sees what
			// changed since the first stage approved.
			Title:  "市城市管理委召开燃气安全工作推进会",
			Column: "新闻动态",
			Body: `11月18日，市城市管理委召开全市燃气安全工作推进会，通报前期燃气安全检查情况，部署下一阶段重点工作。

会议指出，今年以来全市共检查燃气用户12.6万户，发现并整改隐患3800余处。会议要求，各燃气企业要加快老旧管网改造，年底前完成改造任务的百分之百。

会议强调，要坚持人民至上、生命至上，以“时时放心不下”的责任感抓好燃气安全各项工作。`,
			Steps: []demoStep{approve, {Act: "proofread", Edits: []string{"年底前完成改造任务的百分之百。", "确保年底前全面完成年度改造任务。"}}, approve},
		},
		{
			// Approved with disclosure withheld: it can never be published.
			Title:      "关于部分燃气企业安全检查问题的内部通报",
			Column:     "通知公告",
			Department: "燃气管理处",
			Proposed:   review.DisclosureWithheld,
			Body: `各燃气经营企业：

在近期开展的燃气安全专项检查中，发现部分企业存在安全管理制度落实不到位、从业人员未持证上岗、巡线记录不全等问题。现将检查情况通报如下，请各企业对照整改，于12月15日前将整改报告报送燃气管理处。`,
			Steps: []demoStep{{Act: "approve", Disc: review.DisclosureWithheld}, approve},
		},

		// ---- approved, waiting for the office to publish ----
		{
			Title:  "垃圾分类“积分兑换”活动走进社区",
			Column: "新闻动态",
			Body: `近日，市城市管理委联合河东区在大王庄街道开展垃圾分类“积分兑换”进社区活动。居民正确分类投放垃圾可获得积分，凭积分兑换洗衣液、环保购物袋等生活用品。

活动现场，志愿者向居民讲解分类知识，发放宣传手册2000余份。据统计，活动开展以来，社区厨余垃圾分出率提高了15个百分点。`,
			Steps: []demoStep{approve, approve, approve},
		},
		{
			Title:    "市城市管理委关于印发《城市道路照明设施维护管理规范》的通知",
			Column:   "政策文件",
			Proposed: review.DisclosureProactive,
			Body: `津城管发〔2026〕21号

各区城市管理委，市道路照明管理中心：

现将《城市道路照明设施维护管理规范》印发给你们，请认真贯彻执行。

本规范自2027年1月1日起施行，有效期五年。

2026年11月20日
（此件主动公开）`,
			Steps: []demoStep{approve, approve, approve},
		},
		{
			Title:  "今冬供热“访民问暖”活动启动",
			Column: specialColumn,
			Body: `11月16日，市城市管理委启动今冬供热“访民问暖”活动。活动期间，各供热企业将组织工作人员深入小区，入户测温、征求意见，重点关注老年人、困难家庭等群体的供热情况。

活动将持续至供热季结束，入户走访情况每周在本专题公布。`,
			Steps: []demoStep{approve, approve, approve},
		},

		// ---- published ----
		{
			Title:  "我市启动“城市家具”集中清洗行动",
			Column: "新闻动态",
			Body: `为迎接元旦、春节，市城市管理委自即日起在全市开展“城市家具”集中清洗行动，对道路护栏、公交站亭、路名牌、垃圾箱、座椅等设施进行全面清洗擦拭。

行动持续至明年1月底，重点道路每周清洗不少于一次。`,
			Steps: []demoStep{approve, approve, approve, publish},
		},
		{
			Title:    "关于调整部分生活垃圾转运站作业时间的公告",
			Column:   "通知公告",
			Proposed: review.DisclosureProactive,
			Body: `为减少垃圾转运作业对周边居民的影响，自2026年11月1日起，南开区华苑、西青区张家窝等5座生活垃圾转运站作业时间调整为每日5:00—22:00，夜间22:00至次日5:00停止进出车辆作业。

特此公告。`,
			Steps: []demoStep{approve, approve, approve, publish},
		},
		{
			Title:       "城市生活垃圾经营性清扫、收集、运输服务许可办事指南",
			Column:      "办事服务",
			ContentType: review.ContentHTML,
			Proposed:    review.DisclosureProactive,
			Body: `<h3>一、事项名称</h3>
<p>从事城市生活垃圾经营性清扫、收集、运输服务审批</p>
<h3>二、申请材料</h3>
<ol>
<li>申请书；</li>
<li>企业营业执照；</li>
<li>机械清扫能力和垃圾收集运输车辆证明材料；</li>
<li>管理制度和作业规范。</li>
</ol>
<h3>三、办理时限</h3>
<p>承诺时限5个工作日。</p>`,
			Steps: []demoStep{approve, approve, approve, publish},
		},

		// ---- returned to the submitter ----
		{
			Title:  "南市街道集中整治占道经营",
			Column: "新闻动态",
			Body: `近日，南市街道对辖区占道经营问题开展集中整治，出动执法人员120余人次，清理占道摊点86处，暂扣违规经营工具30余件。

对屡教不改的商户，执法人员将其强制带离现场，并在街道公示栏曝光。`,
			Steps: []demoStep{approve, {Act: "return", Fail: review.CheckPolitical, Comment: "“强制带离”“曝光”等表述不符合文明执法要求，易引发负面舆情",
				Reason: "请删除“强制带离”“曝光”等表述，补充疏堵结合、设置便民疏导点等内容后重新提交。"}},
		},
		{
			Title:      "2026年上半年城市管理工作总结",
			Column:     "规划计划",
			Department: "规划发展处",
			Body:       `2026年上半年，市城市管理委围绕年度重点任务，扎实推进市容环境整治、垃圾分类、燃气安全、供热保障等各项工作，取得了较好成效，各项工作都完成的很好。`,
			Steps: []demoStep{{Act: "return", Fail: review.CheckText, Comment: "“完成的很好”应为“完成得很好”；内容过于笼统",
				Reason: "请补充各项工作的具体数据，并修改文字错误。"}},
		},

		// ---- rejected ----
		{
			Title:  "推荐使用某品牌智能燃气报警器",
			Column: "新闻动态",
			Body:   `某品牌智能燃气报警器采用进口传感器，灵敏度高、寿命长，支持手机远程报警。即日起至12月31日，市民凭本文截图在指定门店购买可享八折优惠。`,
			Steps: []demoStep{{Act: "reject", Fail: review.CheckPolicy, Comment: "政府网站不得为特定企业和产品做商业推广",
				Reason: "内容属商业广告，不符合委网站信息发布要求，不予发布。"}},
		},

		// ---- a few more drafts waiting for the first review ----
		{
			// Resubmitted by a colleague of the submitter's department.
			Title:  "垃圾分类志愿者培训班开班",
			Column: "新闻动态",
			Body: `11月21日，市城市管理委举办生活垃圾分类志愿者培训班，来自全市16个区的200余名社区志愿者参加培训。

培训邀请专家讲解了垃圾分类标准、入户宣传技巧等内容。`,
			Steps: []demoStep{
				{Act: "return", Fail: review.CheckText, Comment: "内容单薄，缺少培训后的安排", Reason: "请补充志愿者培训后的上岗安排。"},
				{Act: "resubmit", By: "drafter", Edits: []string{"入户宣传技巧等内容。", "入户宣传技巧等内容。培训结束后，志愿者将回到各自社区，在垃圾投放点开展“桶边督导”，引导居民正确分类投放。"}},
			},
		},
		{
			Title:  "道路照明设施冬季专项检修工作完成",
			Column: "新闻动态",
			Body: `近日，市道路照明管理中心完成冬季道路照明设施专项检修，共检修路灯1.8万基，更换老化电缆12公里，修复损坏灯具960套。

目前，全市主干道亮灯率达到99.2%。市民发现路灯不亮等问题，可通过12345政务服务便民热线反映。`,
		},
		{
			Title:    "关于2027年元旦期间市管公园开放安排的公告",
			Column:   "通知公告",
			Proposed: review.DisclosureProactive,
			Body: `2027年元旦假期期间（1月1日至1月3日），市管各公园正常开放，开放时间为6:00—21:00。

节日期间，各公园将增加保洁和安保力量，请广大游客文明游园，注意防火安全，不在公园内燃放烟花爆竹。`,
		},
	}
}
