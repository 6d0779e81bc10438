// Each node type's icon (lucide), for the canvas and the node picker.

import {
  Braces,
  Clock,
  Code,
  Database,
  GitBranch,
  Globe,
  type LucideIcon,
  PencilLine,
  Play,
  Reply,
  ScrollText,
  Split,
  Timer,
  UserCheck,
  Webhook,
  Workflow,
} from "lucide-react";

/** Each node type's icon, so that an HTTP call and a SQL step differ at a glance. */
export const ICONS: Record<string, LucideIcon> = {
  "trigger.manual": Play,
  "trigger.webhook": Webhook,
  "trigger.schedule": Clock,
  "condition.if": GitBranch,
  "condition.switch": Split,
  "task.http": Globe,
  "task.code": Code,
  "task.python": Braces,
  "task.sql": Database,
  "task.set": PencilLine,
  "task.delay": Timer,
  "task.approval": UserCheck,
  "task.log": ScrollText,
  "task.subflow": Workflow,
  "task.respond": Reply,
};
