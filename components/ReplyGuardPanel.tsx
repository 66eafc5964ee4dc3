import { Island } from "./Island.tsx";
import { ReplyGuard, type ReplyGuardProps } from "../islands/ReplyGuard.tsx";

/** Presence, colleagues' drafts and the reply's holder above the reply box (island). */
export function ReplyGuardPanel(props: ReplyGuardProps) {
  return <Island name="ReplyGuard" component={ReplyGuard} props={props} />;
}
