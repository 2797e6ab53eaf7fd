import type { components } from "../../../api/schema";
import { fieldPath } from "../shared/fieldErrors";

export type StepIO = components["schemas"]["StepIO"];
export type RecordTypeOut = components["schemas"]["RecordTypeOut"];
export type DefinitionOut = components["schemas"]["DefinitionOut"];

export type ApproverKind = "users" | "role" | "manager";

/** A step as the editor holds it: one time limit with its unit instead of two fields. */
export interface StepForm {
  name: string;
  approvers: ApproverKind;
  users: string[];
  role?: string;
  mode: "any" | "all";
  condition?: string;
  limit?: number | null;
  limitUnit: "hours" | "minutes";
  escalateTo?: string;
}

export interface DefinitionForm {
  key?: string;
  recordType?: string;
  name: string;
  guardedFields: string[];
  steps: StepForm[];
}

export function newStep(): StepForm {
  return { name: "", approvers: "manager", users: [], mode: "any", limitUnit: "hours" };
}

export function stepToForm(step: StepIO): StepForm {
  const minutes = step.time_limit_minutes ?? null;
  const hours = step.time_limit_hours ?? null;
  return {
    name: step.name,
    approvers: (["users", "role", "manager"].includes(step.approvers)
      ? step.approvers
      : "manager") as ApproverKind,
    users: step.users ?? [],
    role: step.role ?? undefined,
    mode: step.mode === "all" ? "all" : "any",
    condition: step.condition ?? undefined,
    limit: minutes ?? hours,
    limitUnit: minutes !== null ? "minutes" : "hours",
    escalateTo: step.escalate_to ?? undefined,
  };
}

/**
 * The step as the API takes it: only the fields its kind of approver uses (the API refuses
 * ``users`` on a role step, and the other way round), the time limit in its unit.
 */
export function stepFromForm(step: StepForm): StepIO {
  const limited = step.limit !== undefined && step.limit !== null;
  const condition = step.condition?.trim();
  return {
    name: step.name.trim(),
    approvers: step.approvers,
    users: step.approvers === "users" ? step.users : [],
    role: step.approvers === "role" ? (step.role ?? null) : null,
    mode: step.approvers === "manager" ? "any" : step.mode,
    condition: condition ? condition : null,
    time_limit_hours: limited && step.limitUnit === "hours" ? step.limit : null,
    time_limit_minutes: limited && step.limitUnit === "minutes" ? step.limit : null,
    escalate_to: limited ? (step.escalateTo ?? null) : null,
  };
}

export function definitionToForm(definition: DefinitionOut): DefinitionForm {
  return {
    recordType: definition.record_type,
    name: definition.name,
    guardedFields: definition.guarded_fields,
    steps: definition.steps.map(stepToForm),
  };
}

/**
 * Where an API field error belongs in the editor: "steps[1].time_limit_hours" is the step's
 * one time-limit field; "record_type" is the form's ``recordType``.
 */
export function formPathOf(field: string): (string | number)[] {
  const path = fieldPath(field);
  const renamed: Record<string, string> = {
    time_limit_hours: "limit",
    time_limit_minutes: "limit",
    escalate_to: "escalateTo",
    record_type: "recordType",
    guarded_fields: "guardedFields",
  };
  const mapped = path.map((part) => (typeof part === "string" ? (renamed[part] ?? part) : part));
  // "users[2]" and "guarded_fields[0]" are about one pick of a multiple select: the select.
  const last = mapped.length - 1;
  if (
    typeof mapped[last] === "number" &&
    ["users", "guardedFields"].includes(String(mapped[last - 1]))
  ) {
    mapped.pop();
  }
  return mapped;
}

const FORM_FIELDS = ["key", "recordType", "name", "guardedFields"];
const STEP_FIELDS = [
  "name",
  "approvers",
  "users",
  "role",
  "mode",
  "condition",
  "limit",
  "escalateTo",
];

/** Whether the editor has a field at ``path`` to show an error at. */
export function isEditorField(path: (string | number)[]): boolean {
  if (path.length === 1) return FORM_FIELDS.includes(String(path[0]));
  return (
    path.length === 3 &&
    path[0] === "steps" &&
    typeof path[1] === "number" &&
    STEP_FIELDS.includes(String(path[2]))
  );
}
