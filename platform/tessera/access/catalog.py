"""Which permissions exist, and what the built-in roles hold.

The core declares its permissions exactly as plugins do (tessera.plugin.Permission). A
tenant's available permissions are the core's and those of the modules it enabled; a
permission of a disabled module is neither granted nor grantable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from tessera.modules.registry import installed_plugins
from tessera.plugin.manifest import BUILTIN_ROLES, Permission

_EVERYONE = BUILTIN_ROLES

CORE_PERMISSIONS: tuple[Permission, ...] = (
    Permission("identity.member.read", "See the tenant's members", default_roles=_EVERYONE),
    Permission("identity.member.invite", "Invite people, list and withdraw invitations"),
    Permission(
        "identity.member.manage", "Change members' roles and reporting lines; remove members"
    ),
    Permission("identity.token.revoke", "Revoke any member's API tokens"),
    Permission(
        "access.role.read", "See roles and the permissions they grant", default_roles=_EVERYONE
    ),
    Permission("access.role.manage", "Create, change and delete roles; assign them to members"),
    Permission("audit.entry.read", "Read and export the audit trail"),
    Permission(
        "modules.module.read", "See the modules and whether they are on", default_roles=_EVERYONE
    ),
    Permission("modules.module.manage", "Switch modules on and off; see plugins that failed"),
    Permission("modules.module.purge", "Delete a switched-off module's data", owner_only=True),
    Permission("recycle.item.read", "See the recycle bin", default_roles=_EVERYONE),
    Permission(
        "recycle.item.restore", "Restore deleted records that name no permission of their own"
    ),
    Permission("recycle.item.purge", "Purge records from the recycle bin before their time"),
    Permission(
        "events.dead_letter.manage", "See event deliveries that failed; retry or discard them"
    ),
    Permission(
        "webhooks.endpoint.manage", "Register webhook endpoints; see their secrets and logs"
    ),
    Permission("jobs.job.read", "See every member's background jobs and their progress"),
    Permission(
        "workflow.definition.manage",
        "Define, version and switch approval workflows; run overdue escalations",
    ),
    Permission("workflow.instance.read", "Read the approval history of every record"),
    Permission("storage.settings.manage", "Change the tenant's file size limit"),
    Permission(
        "company.profile.manage",
        "Change the company profile and logo printed on the tenant's documents",
    ),
)
CORE_MODULES = frozenset(p.module for p in CORE_PERMISSIONS)

#: The core's catalogue, as a plugin's (``UI.translations``): its texts keyed by the English.
CORE_TRANSLATIONS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "See the tenant's members": "查看公司成员",
        "Invite people, list and withdraw invitations": "邀请成员，查看和撤回邀请",
        "Change members' roles and reporting lines; remove members": "更改成员的角色和汇报关系；移除成员",
        "Revoke any member's API tokens": "吊销任何成员的 API 令牌",
        "See roles and the permissions they grant": "查看角色及其授予的权限",
        "Create, change and delete roles; assign them to members": "创建、更改和删除角色；为成员分配角色",
        "Read and export the audit trail": "查看和导出审计日志",
        "See the modules and whether they are on": "查看模块及其启用状态",
        "Switch modules on and off; see plugins that failed": "启用和停用模块；查看加载失败的插件",
        "Delete a switched-off module's data": "删除已停用模块的数据",
        "See the recycle bin": "查看回收站",
        "Restore deleted records that name no permission of their own": "恢复未指定自身权限的已删除记录",
        "Purge records from the recycle bin before their time": "提前从回收站彻底删除记录",
        "See event deliveries that failed; retry or discard them": "查看投递失败的事件；重试或丢弃",
        "Register webhook endpoints; see their secrets and logs": "注册 Webhook 端点；查看其密钥和日志",
        "See every member's background jobs and their progress": "查看所有成员的后台任务及其进度",
        "Define, version and switch approval workflows; run overdue escalations": "定义、版本化和切换审批流程；执行超时升级",
        "Read the approval history of every record": "查看所有记录的审批历史",
        "Change the tenant's file size limit": "更改公司的文件大小上限",
        "Change the company profile and logo printed on the tenant's documents": "更改打印在公司单据上的公司资料和标志",
    },
}  # fmt: skip

_SCOPE_RANK = {"own": 0, "team": 1, "all": 2}


def all_permissions() -> dict[str, Permission]:
    """Every permission of the core and of every loaded plugin."""
    found = {p.name: p for p in CORE_PERMISSIONS}
    found.update({p.name: p for _, p in installed_plugins().permissions()})
    return found


@lru_cache(maxsize=256)
def available(enabled_modules: frozenset[str]) -> dict[str, Permission]:
    """The permissions a tenant with these modules switched on can hold."""
    return {
        name: p
        for name, p in all_permissions().items()
        if p.module in CORE_MODULES or p.module in enabled_modules
    }


def builtin_grants(role: str, enabled_modules: frozenset[str]) -> dict[str, str]:
    """Permission -> scope for a built-in role."""
    grants: dict[str, str] = {}
    for name, p in available(enabled_modules).items():
        if role == "owner":
            grants[name] = "all"
        elif p.owner_only:
            continue
        elif role == "admin":
            grants[name] = "all"
        elif role in p.default_roles:
            grants[name] = "own" if p.scoped else "all"
    return grants


def effective_grants(
    role: str, enabled_modules: frozenset[str], custom: Iterable[str]
) -> Mapping[str, str]:
    """The built-in role's grants, widened by custom roles' ``permission:scope`` grants.

    Worked out on every signed-in request, from few distinct inputs: kept (read-only) for
    each role, set of modules and set of custom grants.
    """
    return _effective_grants(role, enabled_modules, tuple(sorted(custom)))


@lru_cache(maxsize=1024)
def _effective_grants(
    role: str, enabled_modules: frozenset[str], custom: tuple[str, ...]
) -> Mapping[str, str]:
    grants = builtin_grants(role, enabled_modules)
    usable = available(enabled_modules)
    for item in custom:
        name, _, scope = item.rpartition(":")
        if name not in usable or usable[name].owner_only:
            continue
        scope = scope if usable[name].scoped else "all"
        if _SCOPE_RANK[scope] > _SCOPE_RANK.get(grants.get(name, ""), -1):
            grants[name] = scope
    return MappingProxyType(grants)
