// Translations (English, Simplified Chinese) and locale-aware formatting through Intl.

const MESSAGES = {
  en: {
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
    // ---- slice "workspace2": lists with filters and saved views, the ticket queue ----
    "lists.title.companies": "Companies", "lists.title.people": "People", "lists.title.tickets": "Tickets",
    "lists.lists": "Lists", "lists.filters": "Filters", "lists.pages": "Pages", "lists.any": "Any",
    "lists.yes": "Yes", "lists.no": "No", "lists.me": "Me", "lists.clear": "Clear filters",
    "lists.commaHint": "comma-separated", "lists.filter.company": "Company", "lists.clearCompany": "Clear the company filter", "lists.openOrPending": "Open or pending",
    "lists.filter.name_contains": "Name contains", "lists.filter.industry": "Industry", "lists.filter.country": "Country",
    "lists.filter.tier": "Tier", "lists.filter.lifecycle": "Lifecycle", "lists.filter.customer": "Customer",
    "lists.filter.seniority": "Seniority", "lists.filter.status": "Status", "lists.filter.priority": "Priority",
    "lists.filter.assignee": "Assignee", "lists.filter.sla_breached": "SLA breached",
    "lists.filter.sort": "Sort", "lists.filter.dir": "Direction",
    "lists.col.name": "Name", "lists.col.industry": "Industry", "lists.col.country": "Country", "lists.col.tier": "Tier",
    "lists.col.lifecycle": "Lifecycle", "lists.col.employees": "Employees", "lists.col.annual_revenue": "Annual revenue",
    "lists.col.title": "Title", "lists.col.company": "Company", "lists.col.email": "Email", "lists.col.seniority": "Seniority",
    "lists.col.subject": "Subject", "lists.col.priority": "Priority", "lists.col.sla": "SLA", "lists.col.status": "Status",
    "lists.col.assignee": "Assignee", "lists.col.opened": "Opened", "lists.col.msg": "Messages",
    "lists.count": "{count} found", "lists.empty": "Nothing matches these filters.",
    "lists.prev": "← Previous", "lists.next": "Next →",
    "lists.sla.breached": "Breached", "lists.sla.due_soon": "Due soon", "lists.sla.ok": "On time", "lists.sla.none": "No SLA",
    "lists.unassigned": "Unassigned", "lists.assignTo": "Assign {name} to", "lists.changeStatus": "Status of {name}",
    "lists.assigned": "{name} assigned to {value}.", "lists.statusChanged": "{name} is now {value}.",
    "lists.savedViews": "Saved views:", "lists.noViews": "none yet", "lists.saveView": "Save view",
    "lists.saveViewTitle": "Save this view", "lists.viewName": "Name", "lists.save": "Save",
    "lists.noFilters": "No filters: the whole list.", "lists.deleteView": "Delete the view {name}",
    "lists.deleteViewTitle": "Delete saved view", "lists.deleteViewMessage": "Delete your saved view “{name}”?",
    "lists.error.required": "Give the view a name.", "lists.error.duplicate_name": "You already have a view with this name.",
    "lists.error.too_long": "The name is too long (at most 80 characters).",
    "lists.error.too_many_views": "You have too many saved views for this list; delete one first.",
    "lists.openQueue": "Open tickets in the queue", "lists.allPeople": "All people, as a list", "lists.title.products": "Products", "lists.title.orders": "Orders", "lists.filter.category": "Category",
    "lists.col.sku": "SKU", "lists.col.category": "Category", "lists.col.price": "Price", "lists.col.number": "Number",
    "lists.col.placed_at": "Placed", "lists.col.buyer": "Buyer", "lists.col.total": "Total", "lists.col.actions": "Actions",
    "lists.created": "{name} created.", "lists.updated": "{name} saved.", "lists.deleted": "{name} deleted.",
    "forms.new.Product": "New product", "forms.new.Order": "New order", "forms.new.Interaction": "New interaction",
    "home.alerts": "Alerts on my accounts", "home.closing": "My deals closing", "home.period": "Period",
    "home.period.month": "This month", "home.period.quarter": "This quarter", "home.noClosing": "No open deals of yours close in this period.",
    "home.noAlerts": "No alerts on your accounts.",
    "home.alertKind.sla_at_risk": "SLA", "home.alertKind.champion_left": "Left", "home.alertKind.single_threaded": "Single-threaded",
    "home.alert.slaBreached": "“{subject}” breached its SLA ({when})", "home.alert.slaSoon": "“{subject}” is about to breach its SLA ({when})",
    "home.alert.left": "{name} ({role} on {deal}) left on {when}", "home.alert.leftFor": "{name} ({role} on {deal}) left on {when}, now at {company}",
    "home.alert.singleThreaded": "{deal} depends on one contact: {name}",
    "home.alertKind.decaying_tie": "Fading", "home.alert.decaying": "Your tie to {name} ({role} on {deal}) is fading: last contact {when}, strength {strength}",
    "home.alert.decayingNever": "You have never been in touch with {name} ({role} on {deal}) on record; strength {strength}",
    "person.activity": "Activity", "person.strength": "Your relationship with {name}:", "person.noTie": "none yet",
    "activity.deal": "Deal (optional)", "activity.noDeal": "No deal",
  },
  zh: {
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
    // ---- slice "workspace2": lists with filters and saved views, the ticket queue ----
    "lists.title.companies": "公司", "lists.title.people": "联系人", "lists.title.tickets": "工单",
    "lists.lists": "列表", "lists.filters": "筛选", "lists.pages": "分页", "lists.any": "全部",
    "lists.yes": "是", "lists.no": "否", "lists.me": "我", "lists.clear": "清除筛选",
    "lists.commaHint": "用逗号分隔", "lists.filter.company": "公司", "lists.clearCompany": "清除公司筛选", "lists.openOrPending": "未结或待处理",
    "lists.filter.name_contains": "名称包含", "lists.filter.industry": "行业", "lists.filter.country": "国家",
    "lists.filter.tier": "级别", "lists.filter.lifecycle": "生命周期", "lists.filter.customer": "客户",
    "lists.filter.seniority": "职级", "lists.filter.status": "状态", "lists.filter.priority": "优先级",
    "lists.filter.assignee": "处理人", "lists.filter.sla_breached": "SLA 已超时",
    "lists.filter.sort": "排序", "lists.filter.dir": "方向",
    "lists.col.name": "名称", "lists.col.industry": "行业", "lists.col.country": "国家", "lists.col.tier": "级别",
    "lists.col.lifecycle": "生命周期", "lists.col.employees": "员工数", "lists.col.annual_revenue": "年收入",
    "lists.col.title": "职位", "lists.col.company": "公司", "lists.col.email": "邮箱", "lists.col.seniority": "职级",
    "lists.col.subject": "主题", "lists.col.priority": "优先级", "lists.col.sla": "SLA", "lists.col.status": "状态",
    "lists.col.assignee": "处理人", "lists.col.opened": "创建时间", "lists.col.msg": "消息",
    "lists.count": "共 {count} 条", "lists.empty": "没有符合筛选条件的记录。",
    "lists.prev": "← 上一页", "lists.next": "下一页 →",
    "lists.sla.breached": "已超时", "lists.sla.due_soon": "即将到期", "lists.sla.ok": "正常", "lists.sla.none": "无 SLA",
    "lists.unassigned": "未分配", "lists.assignTo": "将 {name} 分配给", "lists.changeStatus": "{name} 的状态",
    "lists.assigned": "{name} 已分配给 {value}。", "lists.statusChanged": "{name} 现在是{value}。",
    "lists.savedViews": "已保存的视图：", "lists.noViews": "暂无", "lists.saveView": "保存视图",
    "lists.saveViewTitle": "保存此视图", "lists.viewName": "名称", "lists.save": "保存",
    "lists.noFilters": "无筛选：整个列表。", "lists.deleteView": "删除视图 {name}",
    "lists.deleteViewTitle": "删除已保存的视图", "lists.deleteViewMessage": "删除你保存的视图“{name}”？",
    "lists.error.required": "请为视图命名。", "lists.error.duplicate_name": "你已有同名视图。",
    "lists.error.too_long": "名称过长（最多 80 个字符）。",
    "lists.error.too_many_views": "此列表保存的视图过多，请先删除一个。",
    "lists.openQueue": "在工单队列中查看未结工单", "lists.allPeople": "以列表查看全部联系人", "lists.title.products": "产品", "lists.title.orders": "订单", "lists.filter.category": "类别",
    "lists.col.sku": "SKU", "lists.col.category": "类别", "lists.col.price": "价格", "lists.col.number": "编号",
    "lists.col.placed_at": "下单时间", "lists.col.buyer": "买方", "lists.col.total": "总额", "lists.col.actions": "操作",
    "lists.created": "{name}已创建。", "lists.updated": "{name}已保存。", "lists.deleted": "{name}已删除。",
    "forms.new.Product": "新建产品", "forms.new.Order": "新建订单", "forms.new.Interaction": "新建互动",
    "home.alerts": "我的客户提醒", "home.closing": "我即将成交的商机", "home.period": "期间",
    "home.period.month": "本月", "home.period.quarter": "本季度", "home.noClosing": "本期间没有你的在途商机需要成交。",
    "home.noAlerts": "你的客户没有提醒。",
    "home.alertKind.sla_at_risk": "SLA", "home.alertKind.champion_left": "已离职", "home.alertKind.single_threaded": "单线联系",
    "home.alert.slaBreached": "“{subject}”已超出 SLA（{when}）", "home.alert.slaSoon": "“{subject}”即将超出 SLA（{when}）",
    "home.alert.left": "{name}（{deal} 的{role}）已于 {when} 离职", "home.alert.leftFor": "{name}（{deal} 的{role}）已于 {when} 离职，现任职于 {company}",
    "home.alert.singleThreaded": "{deal} 只依赖一位联系人：{name}",
    "home.alertKind.decaying_tie": "关系减弱", "home.alert.decaying": "你与 {name}（{deal} 的{role}）的关系正在减弱：上次联系 {when}，强度 {strength}",
    "home.alert.decayingNever": "没有你与 {name}（{deal} 的{role}）联系的记录；强度 {strength}",
    "person.activity": "活动", "person.strength": "你与 {name} 的关系强度：", "person.noTie": "尚无",
    "activity.deal": "商机（可选）", "activity.noDeal": "不关联商机",
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
