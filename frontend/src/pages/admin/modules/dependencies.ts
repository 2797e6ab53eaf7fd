import type { components } from "../../../api/schema";

export type ModuleOut = components["schemas"]["ModuleOut"];

/** What switching a module on or off would run into, worked out from the module list. */
export interface ModuleDependencies {
  /** The modules it needs that are off now (enabling it must enable these too). */
  missing: ModuleOut[];
  /** Enabled modules that need it (it cannot be disabled while they are on). */
  enabledDependents: ModuleOut[];
  /** Every module that needs it, on or off. */
  dependents: ModuleOut[];
}

export function dependenciesOf(module: ModuleOut, all: ModuleOut[]): ModuleDependencies {
  const byName = new Map(all.map((m) => [m.name, m]));
  const missing: ModuleOut[] = [];
  // Dependencies of dependencies too: the server enables the whole chain.
  const visit = (name: string, seen: Set<string>) => {
    for (const dependency of byName.get(name)?.depends ?? []) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      const found = byName.get(dependency);
      if (found && !found.enabled) missing.push(found);
      visit(dependency, seen);
    }
  };
  visit(module.name, new Set([module.name]));
  const dependents = all.filter((m) => m.depends.includes(module.name));
  return { missing, dependents, enabledDependents: dependents.filter((m) => m.enabled) };
}

/** A module's state: on, off with its data kept, or never switched on in this tenant. */
export function moduleState(module: ModuleOut): "enabled" | "disabled" | "available" {
  if (module.enabled) return "enabled";
  return module.first_enabled_at ? "disabled" : "available";
}
