/** Tables of reply templates and FAQ articles (migration 0016). */
import type { Generated } from "kysely";

export interface ReplyTemplateTable {
  id: Generated<number>;
  title: string;
  body: string;
  category: Generated<string>;
  scope: "personal" | "department" | "shared";
  /** The agent a personal template belongs to; null otherwise. */
  owner_agent_id: number | null;
  /** The department a department template serves; null otherwise. */
  department_id: number | null;
  usage_count: Generated<number>;
  /** +1 on every edit (the suggestion cache's key). */
  revision: Generated<number>;
  created_by: number;
  created_at: number;
  updated_at: number;
}

/** One reply sent with a template: counts its use and feeds the suggestions. */
export interface TemplateUseTable {
  id: Generated<number>;
  template_id: number;
  ticket_id: number;
  message_id: number;
  agent_id: number | null;
  created_at: number;
}

export interface FaqArticleTable {
  id: Generated<number>;
  title: string;
  body: string;
  category: Generated<string>;
  status: Generated<"draft" | "published">;
  views: Generated<number>;
  helpful_yes: Generated<number>;
  helpful_no: Generated<number>;
  /** Where it came from: "", "message:<id>" or "template:<id>". */
  source: Generated<string>;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  published_at: number | null;
}

export interface KnowledgeTables {
  reply_templates: ReplyTemplateTable;
  template_uses: TemplateUseTable;
  faq_articles: FaqArticleTable;
}
