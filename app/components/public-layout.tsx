import { useState, type ReactNode } from 'react'
import { Link, NavLink, useLocation } from 'react-router'

/**
 * ggml's mark: a 3×3 tensor whose diagonal is lit, the identity matrix a tensor library starts from.
 * Drawn for the project (issue 28); decorative wherever a text name stands beside it.
 */
export function LogoMark({ size = 32, title }: { size?: number; title?: string }) {
  const cells = [0, 1, 2].flatMap((row) => [0, 1, 2].map((col) => ({ row, col })))
  return (
    <svg
      className="logo-mark"
      width={size}
      height={size}
      viewBox="0 0 32 32"
      role={title ? 'img' : undefined}
      aria-hidden={title ? undefined : true}
      aria-label={title}
      focusable="false"
    >
      <rect width="32" height="32" rx="8" fill="var(--ink, #0d1b2a)" />
      {cells.map(({ row, col }) => (
        <rect
          key={`${row}${col}`}
          x={5 + col * 8}
          y={5 + row * 8}
          width="6"
          height="6"
          rx={row === col ? 3 : 1.5}
          fill={row === col ? 'var(--accent, #ff8a3d)' : '#5b8fd1'}
          opacity={row === col ? 1 : 0.55}
        />
      ))}
    </svg>
  )
}

/** The logo with its name, linking home. */
export function Brand({ className = 'brand' }: { className?: string }) {
  return (
    <a href="/" className={className} aria-label="ggml, home">
      <LogoMark />
      <span className="brand-name">
        ggml<span className="brand-tld">.ai</span>
      </span>
    </a>
  )
}

const siteNav = [
  { to: '/certified', label: 'Certified hardware' },
  { to: '/learn', label: 'Learn' },
  { to: '/#contributors', label: 'Contributors' },
  { to: '/#partners', label: 'Partners' },
]

/**
 * On a phone, what it holds folds behind a menu button (aria-expanded), so a page starts on its first screen;
 * on a wide screen the button hides and it always shows (app.css). A new page starts with it closed.
 */
export function Menu({ id, className, children }: { id: string; className?: string; children: ReactNode }) {
  return (
    <MenuDisclosure key={useLocation().pathname} id={id} className={className}>
      {children}
    </MenuDisclosure>
  )
}

function MenuDisclosure({ id, className, children }: { id: string; className?: string; children: ReactNode }) {
  const [open, setOpen] = useState(false)
  return (
    <div className={`menu ${className ?? ''}`} data-open={open}>
      <button
        type="button"
        className="menu-button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        Menu
      </button>
      <div id={id} className="menu-panel">
        {children}
      </div>
    </div>
  )
}

/** The frame of every public page (front door, catalog, directory, credentials, sign-in, errors). */
export function PublicFrame({ children, signedIn = false }: { children: ReactNode; signedIn?: boolean }) {
  return (
    <div className="public">
      <header className="site-header">
        <div className="site-header-inner">
          <Brand />
          <Menu id="site-menu" className="site-menu">
            <nav aria-label="Site" className="site-nav">
              <ul>
                {siteNav.map((item) => (
                  <li key={item.to}>
                    {item.to.includes('#') ? (
                      <a href={item.to}>{item.label}</a>
                    ) : (
                      <NavLink to={item.to}>{item.label}</NavLink>
                    )}
                  </li>
                ))}
                <li>
                  {signedIn ? (
                    <a className="btn btn-primary btn-small" href="/">
                      Your dashboard
                    </a>
                  ) : (
                    <Link className="btn btn-primary btn-small" to="/login">
                      Sign in
                    </Link>
                  )}
                </li>
              </ul>
            </nav>
          </Menu>
        </div>
      </header>
      <main id="main" className="public-main">
        {children}
      </main>
      <SiteFooter />
    </div>
  )
}

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="site-footer-inner">
        <div>
          <Brand className="brand brand-footer" />
          <p className="hint">ggml.ai: the company behind ggml and llama.cpp.</p>
        </div>
        <nav aria-label="Footer">
          <h2 className="footer-heading">Platform</h2>
          <ul>
            <li>
              <Link to="/certified">Certified hardware</Link>
            </li>
            <li>
              <Link to="/certification/log">Certification log</Link>
            </li>
            <li>
              <Link to="/learn">Courses and exam</Link>
            </li>
            <li>
              <Link to="/login">Partner sign-in</Link>
            </li>
          </ul>
        </nav>
        <div>
          <h2 className="footer-heading">Company</h2>
          <ul>
            <li>
              <a href="https://ggml.ai" rel="noopener noreferrer">
                ggml.ai
              </a>
            </li>
            <li>
              <a href="https://github.com/ggml-org" rel="noopener noreferrer">
                ggml-org on GitHub
              </a>
            </li>
            <li>
              <a href="mailto:partners@ggml.ai">partners@ggml.ai</a>
            </li>
          </ul>
        </div>
        <div>
          <h2 className="footer-heading">Legal</h2>
          {/* Plain text until these pages exist. */}
          <ul className="plain-list">
            <li>Terms of service</li>
            <li>Privacy notice</li>
            <li>Imprint</li>
          </ul>
        </div>
      </div>
      <p className="site-footer-legal hint">© ggml.ai. ggml and llama.cpp are open source under the MIT licence.</p>
    </footer>
  )
}
