/** Tables of the workspace (migration 0027): tag counts per folder, kept by triggers. */
export interface TagCountTable {
  tag_id: number;
  status: string;
  department_id: number;
  count: number;
}

export interface WorkspaceTables {
  tag_counts: TagCountTable;
}
