import { Form, Link, NavLink } from "@remix-run/react";

const navLinkClass = ({ isActive }: { isActive: boolean }) =>
  `rounded px-2 py-1 text-sm ${isActive ? "bg-panel-2 text-zinc-100" : "text-zinc-400 hover:text-zinc-100"}`;

/** The top bar of every signed-in page. */
export function AppHeader({ email }: { email: string }) {
  return (
    <header className="flex items-center gap-4 border-b border-line bg-panel px-4 py-2">
      <Link to="/workflows" className="text-lg font-semibold tracking-tight text-accent">
        Weft
      </Link>
      <nav aria-label="Main" className="flex items-center gap-1">
        <NavLink to="/workflows" className={navLinkClass}>
          Workflows
        </NavLink>
        <NavLink to="/settings" className={navLinkClass}>
          Settings
        </NavLink>
      </nav>
      <div className="ml-auto flex items-center gap-3">
        <span className="text-sm text-zinc-400" data-testid="user-email">
          {email}
        </span>
        <Form method="post" action="/logout">
          <button
            type="submit"
            className="rounded border border-line px-3 py-1 text-sm text-zinc-200 hover:bg-panel-2"
          >
            Log out
          </button>
        </Form>
      </div>
    </header>
  );
}
