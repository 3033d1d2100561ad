// Translations (English, Simplified Chinese) and locale-aware formatting through Intl.

const MESSAGES = {
  en: {
    // custom fields (issue 12)
    "fields.yes": "Yes", "fields.no": "No",
    "fields.title": "Custom fields", "fields.adminOnly": "Only admins manage custom fields.",
    "fields.intro": "Fields you add here appear at once in forms, lists, imports (by English or Chinese caption), exports and automation conditions.",
    "fields.recordType": "Record type", "fields.existing": "Fields", "fields.none": "No custom fields yet.",
    "fields.add": "Add field", "fields.captionEn": "Caption (English)", "fields.captionZh": "Caption (Chinese)",
    "fields.name": "Name", "fields.nameHint": "from the English caption", "fields.kind": "Kind",
    "fields.options": "Options", "fields.optionsHint": "one per line: value | English | 中文",
    "fields.currency": "Currency (money)", "fields.required": "Required", "fields.unique": "Unique",
    "fields.indexed": "Indexed", "fields.field": "Field", "fields.flags": "Rules", "fields.status": "Status",
    "fields.active": "Active", "fields.removed": "Removed", "fields.remove": "Remove", "fields.restore": "Restore",
    "fields.purge": "Purge values", "fields.history": "History",
    "fields.removeConfirm": "Hide {name} everywhere? Its values are kept until you purge them.",
    "fields.purgeConfirm": "Delete every value of {name} from every record? This cannot be undone.",
    "fields.kind.text": "Text", "fields.kind.number": "Number", "fields.kind.money": "Money", "fields.kind.date": "Date",
    "fields.kind.boolean": "Yes/no", "fields.kind.choice": "Single choice", "fields.kind.multi_choice": "Multiple choice",
    "fields.change.defined": "defined", "fields.change.changed": "changed", "fields.change.removed": "removed",
    "fields.change.restored": "restored", "fields.change.purged": "values purged",
    "app.title": "crn · network",
    "nav.search": "Search companies and people…",
    "nav.signout": "Sign out",
    "nav.language": "Language",
    "login.title": "Sign in to crn",
    "login.email": "Email",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.or": "or use an API token",
    "login.token": "API token",
    "login.tokenSubmit": "Use token",
    "error.invalid_credentials": "Wrong email or password.",
    "error.invalid_token": "This token is not valid.",
    "error.too_many_attempts": "Too many failed sign-ins. Please wait a moment and try again.",
    "error.unauthenticated": "Your session has ended. Please sign in again.",
    "error.network": "The server cannot be reached.",
    "error.generic": "Something went wrong: {message}",
    "error.notFound": "Not found.",
    // --- activity slice (tasks, my day, my account) ---
    "activity.myTasks": "My tasks",
    "activity.noTasks": "No open tasks. Well done.",
    "activity.overdue": "overdue",
    "activity.complete": "Complete",
    "activity.snoozeTomorrow": "Tomorrow",
    "activity.snoozeWeek": "Next week",
    "activity.newTask": "New task",
    "activity.taskTitle": "Title",
    "activity.dueDate": "Due date",
    "activity.addTask": "Add task",
    "activity.error.required": "Required",
    "activity.myAccount": "My account",
    "activity.changePassword": "Change password",
    "activity.currentPassword": "Current password",
    "activity.newPassword": "New password",
    "activity.myTokens": "My API tokens",
    "activity.noTokens": "You have no API tokens.",
    "activity.tokenCreated": "created",
    "activity.tokenExpires": "expires",
    "activity.tokenUsed": "last used",
    "activity.never": "never",
    "activity.revoked": "revoked",
    "activity.error.wrong_password": "The current password is not right",
    "activity.error.same_password": "The new password must differ from the current one",
    "activity.log": "Log activity",
    "activity.kind": "Kind",
    "activity.kind.call": "Call",
    "activity.kind.meeting": "Meeting",
    "activity.kind.visit": "Visit",
    "activity.kind.email": "E-mail",
    "activity.kind.note": "Note",
    "activity.subject": "Subject",
    "activity.notes": "Notes",
    "activity.when": "When",
    "activity.participants": "Participants",
    "activity.save": "Save",
    "activity.cancel": "Cancel",
    "activity.saved": "Activity logged.",
    "activity.error.not_found": "Not found",
    "activity.error.invalid_datetime": "Not a valid date",
    "home.title": "Explore your accounts",
    "home.hint": "Type a company or person name in the search box above.",
    "search.none": "No matches",
    "type.Company": "Company", "type.Person": "Person", "type.User": "User", "type.Deal": "Deal", "type.Gap": "Gap (missing role)",
    "type.Ticket": "Ticket", "type.Interaction": "Interaction", "type.Product": "Product", "type.Order": "Order",
    "rel.RAISED_BY": "raised by", "rel.ABOUT": "about", "rel.INVOLVED": "involved", "rel.ASSIGNED": "assigned",
    "rel.PARTNER_OF": "partner of", "rel.SUPPLIES": "supplies", "rel.COMPETES_WITH": "competes with",
    "rel.OWNS_SHARE": "owns shares of", "rel.WORKED_AT": "worked at", "rel.PLACED": "placed",
    "rel.COLLEAGUE": "colleague", "rel.FORMER_COLLEAGUE": "former colleague", "rel.WORKS_AT_FORMER": "former colleague",
    "rel.SUGGESTED": "suggested for", "field.directReports": "Direct reports",
    "view.account": "Account", "view.family": "Corporate family", "view.org": "Org chart",
    "view.influence": "Influence", "view.committee": "Buying committee", "view.paths": "Intro paths",
    "view.person": "Person",
    "panel.profile": "Profile", "panel.family": "Family roll-up", "panel.deals": "Open deals",
    "panel.tickets": "Open tickets", "panel.interactions": "Recent interactions", "panel.team": "Account team",
    "panel.selection": "Selection", "panel.parents": "Parent companies",
    "field.industry": "Industry", "field.country": "Country", "field.city": "City", "field.domain": "Domain",
    "field.employees": "Employees", "field.revenue": "Annual revenue", "field.tier": "Tier",
    "field.lifecycle": "Lifecycle", "field.legalName": "Legal name", "field.title": "Title",
    "field.department": "Department", "field.email": "Email", "field.seniority": "Seniority",
    "field.stage": "Stage", "field.amount": "Amount", "field.probability": "Probability",
    "field.expectedClose": "Expected close", "field.company": "Company", "field.manager": "Manager",
    "rollup.companies": "Companies", "rollup.openPipeline": "Open pipeline", "rollup.weightedPipeline": "Weighted pipeline",
    "rollup.wonRevenue12m": "Won (12 months)", "rollup.openTickets": "Open tickets", "rollup.slaBreaches": "SLA breaches",
    "rollup.contacts": "Contacts", "rollup.lastInteractionAt": "Last interaction",
    "sla.breached": "SLA breached", "sla.ok": "Within SLA", "sla.atRisk": "SLA at risk",
    "empty": "None",
    "canvas.fit": "Fit", "canvas.zoomIn": "Zoom in", "canvas.zoomOut": "Zoom out", "canvas.png": "Export PNG",
    "canvas.find": "Find in graph…", "canvas.legend": "Legend", "canvas.counts": "{nodes} nodes · {edges} edges",
    "canvas.truncated": "Network truncated at the limit", "canvas.hint": "Click a node for details, double-click to expand its neighbours.",
    "canvas.expanded": "Added {count} nodes",
    "action.open": "Open", "action.expand": "Expand neighbours", "action.introPath": "Find intro path",
    "action.teamPaths": "Include my team", "action.committee": "Buying committee",
    "committee.members": "Members", "committee.gaps": "Gaps", "committee.suggested": "Suggested next contacts",
    "committee.coverage": "Coverage", "committee.risks": "Single-thread risks", "committee.declared": "declared",
    "committee.inferred": "inferred", "committee.confidence": "Confidence {value}", "committee.noGaps": "No gaps: every role is covered.",
    "paths.title": "Intro paths to {name}", "paths.none": "No path found within the hop limit.",
    "paths.path": "Path {n}", "paths.strength": "strength {value}", "paths.hops": "{count} hops",
    "paths.from": "From me", "paths.team": "From my team",
    "family.ultimate": "Ultimate parent", "family.domestic": "Domestic ultimate", "family.jv": "Joint venture",
    "family.cycle": "Ownership cycle", "family.cycles": "Cycles", "family.members": "{count} companies",
    "family.controlled": "controlled", "family.share": "share",
    "org.dotted": "dotted line", "org.reports": "reports to", "org.people": "{count} people",
    "influence.brokers": "Brokers", "influence.broker": "broker", "influence.top": "Most influential",
    "influence.score": "score",
    "rel.WORKS_AT": "works at", "rel.REPORTS_TO": "reports to", "rel.DOTTED_LINE_TO": "dotted line to",
    "rel.KNOWS": "knows", "rel.SUBSIDIARY_OF": "subsidiary of", "rel.ACCOUNT_TEAM": "account team",
    "rel.BOARD_MEMBER_OF": "board member of", "rel.ON_COMMITTEE": "on committee", "rel.FOR": "for",
    "rel.PARTICIPATED_IN": "took part in", "rel.OWNS": "owns", "rel.INTRO": "introduction",
    "role.economic_buyer": "Economic buyer", "role.champion": "Champion", "role.technical_buyer": "Technical buyer",
    "role.technical_evaluator": "Technical evaluator", "role.decision_maker": "Decision maker",
    "role.influencer": "Influencer", "role.user": "User", "role.end_user": "End user", "role.blocker": "Blocker",
    "role.legal": "Legal", "role.procurement": "Procurement", "role.coach": "Coach", "role.sponsor": "Sponsor",
    "role.executive_sponsor": "Executive sponsor", "role.security": "Security", "role.finance": "Finance",
    "role.owner": "Owner", "role.account_executive": "Account executive", "role.account_manager": "Account manager",
    "role.customer_success": "Customer success", "role.solutions_engineer": "Solutions engineer",
    "role.support": "Support", "role.single_threaded": "Single-threaded", "role.admin": "Admin", "role.manager": "Manager", "role.viewer": "Viewer",
    // ---- forms slice (create/edit/delete, add person, committee roles) ----
    "forms.new": "+ New", "forms.new.Company": "New company", "forms.new.Person": "New person",
    "forms.new.Deal": "New deal", "forms.new.Ticket": "New ticket", "forms.editTitle": "Edit {name}",
    "forms.create": "Create", "forms.save": "Save", "forms.cancel": "Cancel", "forms.close": "Close",
    "forms.edit": "Edit", "forms.delete": "Delete", "forms.add": "Add",
    "forms.deleteTitle": "Delete {name}?", "forms.deleteMessage": "{name} will be deleted. This cannot be undone.",
    "forms.refusedTitle": "The server refused", "forms.forceExplain": "Delete anyway? Its history stays in the graph, detached from it.",
    "forms.forceDelete": "Delete anyway", "forms.commaSeparated": "comma-separated",
    "forms.notANumber": "Not a number.", "forms.notJson": "Not valid JSON.", "forms.typeToSearch": "Type to search…",
    "forms.pickCompany": "Pick a company.", "forms.pickPerson": "Pick a person.",
    "forms.addPerson": "Add person", "forms.addPersonTitle": "Add a person to {name}", "forms.existingPerson": "Existing person",
    "forms.newPerson": "New person", "forms.employment": "Employment",
    "forms.declareRole": "Declare role", "forms.declareTitle": "Declare a committee role on {name}", "forms.declare": "Declare",
    "forms.confirm": "Confirm", "forms.confirmHint": "Confirm the inferred role as declared",
    "panel.people": "People", "forms.saved": "Saved.", "forms.deleted": "Deleted.", "forms.newMenu": "Create a record",
    "status.open": "Open", "status.won": "Won", "status.lost": "Lost",
    // ---- slice "board": the pipeline board and deal table ----
    "nav.main": "Main", "nav.pipeline": "Pipeline",
    "board.title": "Pipeline", "board.weighted": "weighted", "board.noDeals": "No deals",
    "board.dropHere": "Drop a deal here", "board.more": "Show {count} more", "board.moveTo": "Stage",
    "board.moveDeal": "Move {name} to stage", "board.moving": "Moving {name} to {stage}…",
    "board.moved": "{name} moved to {stage}.", "board.moveFailed": "Could not move {name}: {message}",
    "board.owner": "Owner", "board.allOwners": "All owners", "board.team": "Team", "board.allTeams": "All teams", "board.me": "Me", "board.period": "Close",
    "board.anyTime": "Any time", "board.thisMonth": "This month", "board.thisQuarter": "This quarter",
    "board.custom": "Custom range", "board.from": "From", "board.to": "To",
    "board.companyPlaceholder": "Find a company…", "board.clearCompany": "Clear the company filter",
    "board.family": "Whole corporate family", "board.viewAs": "Show as", "board.asBoard": "Board",
    "board.asTable": "Table", "board.exportCsv": "Export CSV", "board.tableCount": "{shown} of {total} deals",
    "board.name": "Name", "board.weightedAmount": "Weighted", "board.openPipeline": "Open pipeline",
    "board.openTotal": "{count} deals, {amount} (weighted {weighted})",
    "board.openTotalOne": "{count} deal, {amount} (weighted {weighted})",
    "stage.qualification": "Qualification", "stage.discovery": "Discovery", "stage.proposal": "Proposal",
    "stage.negotiation": "Negotiation", "stage.closed_won": "Closed won", "stage.closed_lost": "Closed lost",
    // ---- slice "canvas": readable network views and links made from the canvases ----
    "org.hint": "Click a box for details; double-click or Enter folds its team. Drag a box onto another to change the manager.",
    "org.expandAll": "Expand all", "org.collapseDeep": "Collapse deep levels", "org.solid": "solid line",
    "org.collapsedLegend": "team folded (count below)", "org.keyboard": "Org chart: arrow keys move, Enter folds or unfolds a team",
    "org.hidden": "{count} in team", "org.expand": "Expand team", "org.collapse": "Collapse team",
    "org.changeManager": "Change manager", "org.changeManagerOf": "New manager of {name}", "org.move": "Change manager",
    "org.alreadyReports": "{name} already reports to {manager}.",
    "org.confirmMove": "Make {name} report to {manager}? The previous solid reporting line ends.",
    "org.refused": "Not changed: {message}", "org.moved": "{name} now reports to {manager}.", "org.top": "Top of the org",
    "canvas.pickOne": "Pick one from the list.", "type.Group": "Group", "type.Department": "Department",
    "account.noDepartment": "No department", "account.group": "{name} · {count}", "account.groupHint": "Click a group to show its people.", "account.fold": "Fold {name}",
    "account.groupOpened": "{name}: {count} people shown.", "account.addTeam": "Add to account team",
    "account.addTeamTitle": "Add a user to the account team of {name}", "account.addKnows": "Add \"knows\" tie",
    "account.addKnowsTitle": "Who knows whom at {name}", "account.who": "Who knows", "account.whom": "Person known",
    "account.linked": "Saved.", "family.addSubsidiary": "Add subsidiary", "family.addSubsidiaryTitle": "Add a subsidiary of {name}",
    "family.subsidiary": "Subsidiary", "family.parent": "Parent", "family.whitespace": "Whitespace",
    "family.whitespaceHint": "No deals or contacts here while sister companies buy.", "family.buyingSiblings": "Buying siblings",
    "family.missing": "Missing", "person.employments": "Employment history", "person.current": "current",
    "person.interactions": "Interactions", "person.tickets": "Tickets", "person.orders": "Orders",
    "person.consent": "Consent and preferences", "person.consentMarketing": "Marketing consent", "person.consentAt": "Given at",
    "person.preferences": "Preferences", "person.yes": "Yes", "person.no": "No",
  },
  zh: {
    // custom fields (issue 12)
    "fields.yes": "是", "fields.no": "否",
    "fields.title": "自定义字段", "fields.adminOnly": "只有管理员可以管理自定义字段。",
    "fields.intro": "在此添加的字段会立即出现在表单、列表、导入（按英文或中文标题匹配）、导出和自动化条件中。",
    "fields.recordType": "记录类型", "fields.existing": "字段", "fields.none": "还没有自定义字段。",
    "fields.add": "添加字段", "fields.captionEn": "标题（英文）", "fields.captionZh": "标题（中文）",
    "fields.name": "名称", "fields.nameHint": "默认取英文标题", "fields.kind": "类型",
    "fields.options": "选项", "fields.optionsHint": "每行一个：值 | English | 中文",
    "fields.currency": "币种（金额字段）", "fields.required": "必填", "fields.unique": "唯一",
    "fields.indexed": "建索引", "fields.field": "字段", "fields.flags": "规则", "fields.status": "状态",
    "fields.active": "启用", "fields.removed": "已移除", "fields.remove": "移除", "fields.restore": "恢复",
    "fields.purge": "清除数据", "fields.history": "历史",
    "fields.removeConfirm": "在所有地方隐藏 {name}？其数据会保留，直到清除。",
    "fields.purgeConfirm": "从所有记录中删除 {name} 的全部值？此操作无法撤销。",
    "fields.kind.text": "文本", "fields.kind.number": "数字", "fields.kind.money": "金额", "fields.kind.date": "日期",
    "fields.kind.boolean": "是/否", "fields.kind.choice": "单选", "fields.kind.multi_choice": "多选",
    "fields.change.defined": "创建", "fields.change.changed": "修改", "fields.change.removed": "移除",
    "fields.change.restored": "恢复", "fields.change.purged": "清除数据",
    "app.title": "crn · 关系网络",
    "nav.search": "搜索公司和联系人…",
    "nav.signout": "退出登录",
    "nav.language": "语言",
    "login.title": "登录 crn",
    "login.email": "电子邮箱",
    "login.password": "密码",
    "login.submit": "登录",
    "login.or": "或使用 API 令牌",
    "login.token": "API 令牌",
    "login.tokenSubmit": "使用令牌",
    "error.invalid_credentials": "邮箱或密码错误。",
    "error.invalid_token": "此令牌无效。",
    "error.too_many_attempts": "登录失败次数过多，请稍候再试。",
    "error.unauthenticated": "会话已结束，请重新登录。",
    "error.network": "无法连接服务器。",
    "error.generic": "出错了：{message}",
    "error.notFound": "未找到。",
    // --- activity slice (tasks, my day, my account) ---
    "activity.myTasks": "我的任务",
    "activity.noTasks": "没有待办任务。",
    "activity.overdue": "已逾期",
    "activity.complete": "完成",
    "activity.snoozeTomorrow": "明天",
    "activity.snoozeWeek": "下周",
    "activity.newTask": "新建任务",
    "activity.taskTitle": "标题",
    "activity.dueDate": "截止日期",
    "activity.addTask": "添加任务",
    "activity.error.required": "必填",
    "activity.myAccount": "我的账户",
    "activity.changePassword": "修改密码",
    "activity.currentPassword": "当前密码",
    "activity.newPassword": "新密码",
    "activity.myTokens": "我的 API 令牌",
    "activity.noTokens": "您没有 API 令牌。",
    "activity.tokenCreated": "创建于",
    "activity.tokenExpires": "到期",
    "activity.tokenUsed": "最近使用",
    "activity.never": "从不",
    "activity.revoked": "已吊销",
    "activity.error.wrong_password": "当前密码不正确",
    "activity.error.same_password": "新密码必须与当前密码不同",
    "activity.log": "记录活动",
    "activity.kind": "类型",
    "activity.kind.call": "电话",
    "activity.kind.meeting": "会议",
    "activity.kind.visit": "拜访",
    "activity.kind.email": "邮件",
    "activity.kind.note": "备注",
    "activity.subject": "主题",
    "activity.notes": "记录",
    "activity.when": "时间",
    "activity.participants": "参与人",
    "activity.save": "保存",
    "activity.cancel": "取消",
    "activity.saved": "活动已记录。",
    "activity.error.not_found": "未找到",
    "activity.error.invalid_datetime": "日期无效",
    "home.title": "探索您的客户",
    "home.hint": "在上方搜索框中输入公司或联系人名称。",
    "search.none": "无匹配结果",
    "type.Company": "公司", "type.Person": "联系人", "type.User": "用户", "type.Deal": "商机", "type.Gap": "缺口（缺少角色）",
    "type.Ticket": "工单", "type.Interaction": "互动", "type.Product": "产品", "type.Order": "订单",
    "rel.RAISED_BY": "提交人", "rel.ABOUT": "关于", "rel.INVOLVED": "参与", "rel.ASSIGNED": "指派",
    "rel.PARTNER_OF": "合作伙伴", "rel.SUPPLIES": "供应", "rel.COMPETES_WITH": "竞争对手",
    "rel.OWNS_SHARE": "持股", "rel.WORKED_AT": "曾任职于", "rel.PLACED": "下单",
    "rel.COLLEAGUE": "同事", "rel.FORMER_COLLEAGUE": "前同事", "rel.WORKS_AT_FORMER": "前同事",
    "rel.SUGGESTED": "建议补位", "field.directReports": "直接下属",
    "view.account": "客户", "view.family": "企业族谱", "view.org": "组织架构",
    "view.influence": "影响力", "view.committee": "采购委员会", "view.paths": "引荐路径",
    "view.person": "联系人",
    "panel.profile": "概况", "panel.family": "集团汇总", "panel.deals": "进行中的商机",
    "panel.tickets": "未关闭工单", "panel.interactions": "近期互动", "panel.team": "客户团队",
    "panel.selection": "选中项", "panel.parents": "母公司",
    "field.industry": "行业", "field.country": "国家/地区", "field.city": "城市", "field.domain": "域名",
    "field.employees": "员工数", "field.revenue": "年收入", "field.tier": "等级",
    "field.lifecycle": "生命周期", "field.legalName": "法定名称", "field.title": "职位",
    "field.department": "部门", "field.email": "电子邮箱", "field.seniority": "职级",
    "field.stage": "阶段", "field.amount": "金额", "field.probability": "赢单概率",
    "field.expectedClose": "预计成交", "field.company": "公司", "field.manager": "上级",
    "rollup.companies": "公司数", "rollup.openPipeline": "在途商机", "rollup.weightedPipeline": "加权商机",
    "rollup.wonRevenue12m": "近 12 个月赢单", "rollup.openTickets": "未关闭工单", "rollup.slaBreaches": "SLA 违约",
    "rollup.contacts": "联系人", "rollup.lastInteractionAt": "最近互动",
    "sla.breached": "已违反 SLA", "sla.ok": "SLA 内", "sla.atRisk": "SLA 临近",
    "empty": "无",
    "canvas.fit": "适应窗口", "canvas.zoomIn": "放大", "canvas.zoomOut": "缩小", "canvas.png": "导出 PNG",
    "canvas.find": "在图中查找…", "canvas.legend": "图例", "canvas.counts": "{nodes} 个节点 · {edges} 条边",
    "canvas.truncated": "网络已按上限截断", "canvas.hint": "单击节点查看详情，双击展开相邻节点。",
    "canvas.expanded": "新增 {count} 个节点",
    "action.open": "打开", "action.expand": "展开相邻节点", "action.introPath": "查找引荐路径",
    "action.teamPaths": "包含我的团队", "action.committee": "采购委员会",
    "committee.members": "成员", "committee.gaps": "缺口", "committee.suggested": "建议接触的联系人",
    "committee.coverage": "覆盖情况", "committee.risks": "单线联系风险", "committee.declared": "已确认",
    "committee.inferred": "推断", "committee.confidence": "置信度 {value}", "committee.noGaps": "无缺口：所有角色均已覆盖。",
    "paths.title": "到 {name} 的引荐路径", "paths.none": "在跳数限制内未找到路径。",
    "paths.path": "路径 {n}", "paths.strength": "强度 {value}", "paths.hops": "{count} 跳",
    "paths.from": "从我出发", "paths.team": "从我的团队出发",
    "family.ultimate": "最终母公司", "family.domestic": "国内最终母公司", "family.jv": "合资企业",
    "family.cycle": "循环持股", "family.cycles": "循环", "family.members": "{count} 家公司",
    "family.controlled": "控股", "family.share": "持股",
    "org.dotted": "虚线汇报", "org.reports": "汇报给", "org.people": "{count} 人",
    "influence.brokers": "关键中间人", "influence.broker": "中间人", "influence.top": "影响力最高",
    "influence.score": "得分",
    "rel.WORKS_AT": "任职于", "rel.REPORTS_TO": "汇报给", "rel.DOTTED_LINE_TO": "虚线汇报给",
    "rel.KNOWS": "认识", "rel.SUBSIDIARY_OF": "子公司", "rel.ACCOUNT_TEAM": "客户团队",
    "rel.BOARD_MEMBER_OF": "董事会成员", "rel.ON_COMMITTEE": "委员会成员", "rel.FOR": "所属",
    "rel.PARTICIPATED_IN": "参与", "rel.OWNS": "拥有", "rel.INTRO": "引荐",
    "role.economic_buyer": "经济决策人", "role.champion": "内部支持者", "role.technical_buyer": "技术决策人",
    "role.technical_evaluator": "技术评估人", "role.decision_maker": "决策人",
    "role.influencer": "影响者", "role.user": "使用者", "role.end_user": "最终用户", "role.blocker": "阻碍者",
    "role.legal": "法务", "role.procurement": "采购", "role.coach": "教练", "role.sponsor": "发起人",
    "role.executive_sponsor": "高管发起人", "role.security": "安全", "role.finance": "财务",
    "role.owner": "负责人", "role.account_executive": "客户经理", "role.account_manager": "客户经理",
    "role.customer_success": "客户成功", "role.solutions_engineer": "解决方案工程师",
    "role.support": "支持", "role.single_threaded": "单线联系", "role.admin": "管理员", "role.manager": "经理", "role.viewer": "只读用户",
    // ---- forms slice (create/edit/delete, add person, committee roles) ----
    "forms.new": "+ 新建", "forms.new.Company": "新建公司", "forms.new.Person": "新建联系人",
    "forms.new.Deal": "新建商机", "forms.new.Ticket": "新建工单", "forms.editTitle": "编辑 {name}",
    "forms.create": "创建", "forms.save": "保存", "forms.cancel": "取消", "forms.close": "关闭",
    "forms.edit": "编辑", "forms.delete": "删除", "forms.add": "添加",
    "forms.deleteTitle": "删除 {name}？", "forms.deleteMessage": "将删除 {name}，此操作无法撤销。",
    "forms.refusedTitle": "服务器拒绝了操作", "forms.forceExplain": "仍要删除吗？其历史记录会保留在图中，但与之断开。",
    "forms.forceDelete": "仍然删除", "forms.commaSeparated": "用逗号分隔",
    "forms.notANumber": "不是数字。", "forms.notJson": "不是有效的 JSON。", "forms.typeToSearch": "输入以搜索…",
    "forms.pickCompany": "请选择公司。", "forms.pickPerson": "请选择联系人。",
    "forms.addPerson": "添加联系人", "forms.addPersonTitle": "向 {name} 添加联系人", "forms.existingPerson": "已有联系人",
    "forms.newPerson": "新联系人", "forms.employment": "任职信息",
    "forms.declareRole": "声明角色", "forms.declareTitle": "在 {name} 上声明委员会角色", "forms.declare": "声明",
    "forms.confirm": "确认", "forms.confirmHint": "将推断的角色确认为已声明",
    "panel.people": "联系人", "forms.saved": "已保存。", "forms.deleted": "已删除。", "forms.newMenu": "新建记录",
    "status.open": "进行中", "status.won": "赢单", "status.lost": "丢单",
    // ---- slice "board": the pipeline board and deal table ----
    "nav.main": "主导航", "nav.pipeline": "销售管道",
    "board.title": "销售管道", "board.weighted": "加权", "board.noDeals": "没有商机",
    "board.dropHere": "将商机拖到这里", "board.more": "再显示 {count} 个", "board.moveTo": "阶段",
    "board.moveDeal": "将 {name} 移到阶段", "board.moving": "正在将 {name} 移到 {stage}…",
    "board.moved": "{name} 已移到 {stage}。", "board.moveFailed": "无法移动 {name}：{message}",
    "board.owner": "负责人", "board.allOwners": "全部负责人", "board.team": "团队", "board.allTeams": "全部团队", "board.me": "我", "board.period": "成交时间",
    "board.anyTime": "不限", "board.thisMonth": "本月", "board.thisQuarter": "本季度",
    "board.custom": "自定义范围", "board.from": "从", "board.to": "到",
    "board.companyPlaceholder": "查找公司…", "board.clearCompany": "清除公司筛选",
    "board.family": "整个企业集团", "board.viewAs": "显示为", "board.asBoard": "看板",
    "board.asTable": "表格", "board.exportCsv": "导出 CSV", "board.tableCount": "共 {total} 个商机，显示 {shown} 个",
    "board.name": "名称", "board.weightedAmount": "加权金额", "board.openPipeline": "在途商机",
    "board.openTotal": "{count} 个商机，{amount}（加权 {weighted}）",
    "board.openTotalOne": "{count} 个商机，{amount}（加权 {weighted}）",
    "stage.qualification": "资格确认", "stage.discovery": "需求挖掘", "stage.proposal": "方案报价",
    "stage.negotiation": "商务谈判", "stage.closed_won": "赢单", "stage.closed_lost": "丢单",
    // ---- slice "canvas": readable network views and links made from the canvases ----
    "org.hint": "单击方框查看详情；双击或按回车折叠团队。把一个方框拖到另一个上即可更换上级。",
    "org.expandAll": "全部展开", "org.collapseDeep": "折叠深层", "org.solid": "实线汇报",
    "org.collapsedLegend": "已折叠的团队（下方显示人数）", "org.keyboard": "组织架构：方向键移动，回车折叠或展开团队",
    "org.hidden": "团队 {count} 人", "org.expand": "展开团队", "org.collapse": "折叠团队",
    "org.changeManager": "更换上级", "org.changeManagerOf": "{name} 的新上级", "org.move": "更换上级",
    "org.alreadyReports": "{name} 已经汇报给 {manager}。",
    "org.confirmMove": "让 {name} 汇报给 {manager}？原来的实线汇报关系将结束。",
    "org.refused": "未更改：{message}", "org.moved": "{name} 现在汇报给 {manager}。", "org.top": "组织顶层",
    "canvas.pickOne": "请从列表中选择。", "type.Group": "分组", "type.Department": "部门",
    "account.noDepartment": "无部门", "account.group": "{name} · {count}", "account.groupHint": "单击分组显示其中的人员。", "account.fold": "折叠 {name}",
    "account.groupOpened": "{name}：已显示 {count} 人。", "account.addTeam": "加入客户团队",
    "account.addTeamTitle": "把用户加入 {name} 的客户团队", "account.addKnows": "添加“认识”关系",
    "account.addKnowsTitle": "{name}：谁认识谁", "account.who": "认识者", "account.whom": "被认识的人",
    "account.linked": "已保存。", "family.addSubsidiary": "添加子公司", "family.addSubsidiaryTitle": "添加 {name} 的子公司",
    "family.subsidiary": "子公司", "family.parent": "母公司", "family.whitespace": "空白市场",
    "family.whitespaceHint": "兄弟公司在购买，这里却没有商机或联系人。", "family.buyingSiblings": "在购买的兄弟公司",
    "family.missing": "缺少", "person.employments": "任职经历", "person.current": "现任",
    "person.interactions": "互动", "person.tickets": "工单", "person.orders": "订单",
    "person.consent": "同意与偏好", "person.consentMarketing": "同意接收营销信息", "person.consentAt": "同意时间",
    "person.preferences": "偏好", "person.yes": "是", "person.no": "否",
  },
};

export const LANGUAGES = { en: "English", zh: "简体中文" };
const STORAGE_KEY = "crn.lang";

function initialLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && MESSAGES[saved]) return saved;
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

let lang = initialLanguage();

/** The current language code ("en" | "zh"). */
export function language() { return lang; }

/** The BCP 47 locale used for Intl formatting. */
export function locale() { return lang === "zh" ? "zh-CN" : (navigator.language?.startsWith("en") ? navigator.language : "en-US"); }

/** Switch language (kept in localStorage) and update <html lang>. */
export function setLanguage(code) {
  lang = MESSAGES[code] ? code : "en";
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = locale();
}

/** Translate a key, replacing {name} placeholders with params. Unknown keys fall back to English, then the key. */
export function t(key, params = {}) {
  const text = MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

function humanize(code) {
  const words = String(code).toLowerCase().replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A committee/team role label; roles outside the dictionary are humanised. */
export function roleLabel(role) {
  if (!role) return "";
  const key = `role.${String(role).toLowerCase().replace(/[\s-]+/g, "_")}`;
  const text = t(key);
  return text === key ? humanize(role) : text;
}

/** A relationship type label (WORKS_AT -> "works at" / "任职于"). */
export function relLabel(type) {
  const key = `rel.${String(type).toUpperCase().replace(/[\s-]+/g, "_")}`;
  const text = t(key);
  return text === key ? humanize(type) : text;
}

/** A number in the locale's format; null/undefined -> "—". */
export function fmtNumber(value, options = {}) {
  if (value === null || value === undefined || value === "") return "—";
  return new Intl.NumberFormat(locale(), options).format(Number(value));
}

/** A money amount in its currency (defaults to USD), without cents. */
export function fmtMoney(value, currency) {
  if (value === null || value === undefined) return "—";
  try {
    return new Intl.NumberFormat(locale(), { style: "currency", currency: currency || "USD", maximumFractionDigits: 0 }).format(Number(value));
  } catch {
    return fmtNumber(value, { maximumFractionDigits: 0 });
  }
}

/** A percentage from a 0..1 fraction. */
export function fmtPercent(value) {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(Number(value));
}

/** A date or date-time string in the locale's medium date style. */
export function fmtDate(value) {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium" }).format(date);
}

setLanguage(lang);
