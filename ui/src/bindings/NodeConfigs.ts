// Generated from the engine's node registry (src/nodes/). Do not edit.
import type { ManualTriggerConfig } from "./ManualTriggerConfig";
import type { WebhookTriggerConfig } from "./WebhookTriggerConfig";
import type { ScheduleTriggerConfig } from "./ScheduleTriggerConfig";
import type { IfConfig } from "./IfConfig";
import type { SwitchConfig } from "./SwitchConfig";
import type { HttpConfig } from "./HttpConfig";
import type { CodeConfig } from "./CodeConfig";
import type { PythonConfig } from "./PythonConfig";
import type { SqlConfig } from "./SqlConfig";
import type { SetConfig } from "./SetConfig";
import type { DelayConfig } from "./DelayConfig";
import type { ApprovalConfig } from "./ApprovalConfig";
import type { LogConfig } from "./LogConfig";
import type { SubflowConfig } from "./SubflowConfig";
import type { RespondConfig } from "./RespondConfig";

/** Each node type's config, by its `type`. */
export type NodeConfigs = {
  "trigger.manual": ManualTriggerConfig;
  "trigger.webhook": WebhookTriggerConfig;
  "trigger.schedule": ScheduleTriggerConfig;
  "condition.if": IfConfig;
  "condition.switch": SwitchConfig;
  "task.http": HttpConfig;
  "task.code": CodeConfig;
  "task.python": PythonConfig;
  "task.sql": SqlConfig;
  "task.set": SetConfig;
  "task.delay": DelayConfig;
  "task.approval": ApprovalConfig;
  "task.log": LogConfig;
  "task.subflow": SubflowConfig;
  "task.respond": RespondConfig;
};
