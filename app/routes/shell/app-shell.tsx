import { NavLink, Outlet } from 'react-router'
import type { Route } from './+types/app-shell'
import { Brand, Menu } from '#app/components/public-layout.tsx'
import { PostForm } from '#app/components/ui.tsx'
import { navigationFor, rolesSummary } from '#app/lib/navigation.server.ts'
import { requireActor } from '#app/lib/session.server.ts'
import { countInbox, hasInbox } from '#services/inbox/list-inbox.ts'

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  return {
    nav: navigationFor(actor),
    // What waits for this person's decision (issue 29): counts only, one query per kind of work.
    inbox: hasInbox(actor) ? await countInbox(actor) : null,
    user: { name: actor.name, email: actor.email, roles: rolesSummary(actor) },
  }
}

export default function AppShell({ loaderData }: Route.ComponentProps) {
  const { nav, inbox, user } = loaderData
  return (
    <div className="shell">
      <aside className="sidebar">
        <Brand />
        <Menu id="main-menu" className="shell-menu">
          <nav aria-label="Main">
            <ul>
              {inbox !== null && (
                <li>
                  <NavLink to="/inbox" end>
                    Inbox{' '}
                    <span className="nav-count" data-inbox-count={inbox} aria-label={`${inbox} waiting`}>
                      {inbox}
                    </span>
                  </NavLink>
                </li>
              )}
              {nav.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="whoami">
            <div className="whoami-name">{user.name}</div>
            <div className="hint">{user.email}</div>
            <div className="hint">{user.roles}</div>
            <p>
              <NavLink to="/account">Your account</NavLink>
            </p>
            <PostForm action="/logout">
              <button type="submit" className="btn btn-secondary btn-small">
                Sign out
              </button>
            </PostForm>
          </div>
        </Menu>
      </aside>
      <main id="main" className="content">
        <Outlet />
      </main>
    </div>
  )
}
