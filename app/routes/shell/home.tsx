import { Link, redirect } from 'react-router'
import type { Route } from './+types/home'
import { actorContext } from '#app/lib/context.server.ts'
import { homeFor } from '#app/lib/navigation.server.ts'
import { certifiedDirectory } from '#services/certification/badges.ts'
import { now } from '#services/platform/clock.ts'
import { catalog } from '#services/training/catalog.ts'

export const meta: Route.MetaFunction = () => [
  { title: 'ggml: partners, certified hardware, training and contributor rewards' },
  {
    name: 'description',
    content:
      'The ggml platform: partner portal, hardware certified with llama.cpp, courses and the GGML exam, and ' +
      'rewards for open-source contributors.',
  },
]

// The front door (issue 28): visitors see who the platform is for; signed-in people go to their home.
export async function loader({ context }: Route.LoaderArgs) {
  const actor = context.get(actorContext)
  if (actor) throw redirect(homeFor(actor))
  const [directory, offer] = await Promise.all([certifiedDirectory('tg'), catalog()])
  return {
    certified: directory.total,
    partners: new Set(directory.rows.map((r) => r.partner)).size,
    courses: offer.courses.map((c) => ({ slug: c.slug, title: c.title })),
    exams: offer.exams.map((e) => ({ slug: e.slug, title: e.title })),
    rewardsYear: now().getUTCFullYear(),
  }
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

export default function Home({ loaderData: d }: Route.ComponentProps) {
  return (
    <div className="front-door">
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Run AI on the hardware you have, with the people who build ggml and llama.cpp</h1>
        <p className="lead">
          The ggml platform is where hardware makers certify their machines, partners manage their agreements,
          developers learn and get certified, and open-source contributors are rewarded.
        </p>
        <ul className="hero-facts" aria-label="The platform today">
          {d.certified > 0 && (
            <li>
              <strong>{plural(d.certified, 'certified product', 'certified products')}</strong> from{' '}
              {plural(d.partners, 'hardware maker', 'hardware makers')}
            </li>
          )}
          {d.courses.length + d.exams.length > 0 && (
            <li>
              <strong>{plural(d.courses.length, 'course', 'courses')}</strong> and{' '}
              {plural(d.exams.length, 'certification exam', 'certification exams')}
            </li>
          )}
          <li>
            <strong>Contributor rewards</strong> for the year's top 50
          </li>
        </ul>
      </section>

      <div className="audiences">
        <section className="audience" id="partners" aria-labelledby="partners-title">
          <h2 id="partners-title">Partners</h2>
          <p>
            Your contracts, royalty reports, invoices, statements and certification requests, in one portal for your
            whole team, with company single sign-on.
          </p>
          <p className="audience-actions">
            <Link className="btn btn-primary" to="/login">
              Sign in to the partner portal
            </Link>
            <a className="btn btn-secondary" href="mailto:partners@ggml.ai?subject=Becoming%20a%20ggml%20partner">
              Become a partner
            </a>
          </p>
        </section>

        <section className="audience" id="hardware" aria-labelledby="hardware-title">
          <h2 id="hardware-title">Hardware makers</h2>
          <p>
            Certification measures the real llama.cpp on your product: a runner on the machine itself benchmarks prompt
            processing and generation, ggml reviews the evidence, and a signed “Powered by GGML” badge links to it for
            anyone to verify.
          </p>
          <ol className="steps">
            <li>Request certification from your partner portal.</li>
            <li>Run the certification runner on the hardware.</li>
            <li>Publish the badge; it stays verifiable and revocable.</li>
          </ol>
          <p className="audience-actions">
            <Link className="btn btn-primary" to="/certified">
              Browse certified hardware
            </Link>
            <Link className="btn btn-secondary" to="/certification/log">
              Verify a badge in the public log
            </Link>
          </p>
        </section>

        <section className="audience" id="developers" aria-labelledby="developers-title">
          <h2 id="developers-title">Developers</h2>
          <p>Courses on running llama.cpp in production, and an exam whose certificate employers can verify.</p>
          {d.courses.length + d.exams.length > 0 && (
            <ul className="compact-list">
              {d.courses.slice(0, 3).map((c) => (
                <li key={c.slug}>
                  <Link to={`/learn/courses/${c.slug}`}>{c.title}</Link>
                </li>
              ))}
              {d.exams.slice(0, 2).map((e) => (
                <li key={e.slug}>
                  <Link to={`/learn/exams/${e.slug}`}>{e.title}</Link> (exam)
                </li>
              ))}
            </ul>
          )}
          <p className="audience-actions">
            <Link className="btn btn-primary" to="/learn">
              See courses and the exam
            </Link>
            <Link className="btn btn-secondary" to="/signup">
              Create a learner account
            </Link>
          </p>
        </section>

        <section className="audience" id="contributors" aria-labelledby="contributors-title">
          <h2 id="contributors-title">Contributors</h2>
          <p>
            Each year ggml thanks the 50 people whose merged pull requests, reviews and issue work lead the ggml-org
            repositories with $500 to $2,000 in GGML Cloud credits. Recipients are invited by email and choose whether
            to be listed.
          </p>
          <p className="audience-actions">
            <Link className="btn btn-primary" to={`/rewards/recipients/${d.rewardsYear}`}>
              {d.rewardsYear} recipients
            </Link>
            <Link className="btn btn-secondary" to="/login">
              Sign in to your credits
            </Link>
          </p>
        </section>
      </div>
    </div>
  )
}
