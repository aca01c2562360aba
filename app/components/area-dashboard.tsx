import { Card, PageHeader } from './ui.tsx'

/** The landing page of an area whose features arrive in later releases: honest about what is here. */
export function AreaDashboard({ title, intro, coming }: { title: string; intro: string; coming: string[] }) {
  return (
    <>
      <PageHeader title={title} subtitle={intro} />
      <Card title="In this area">
        <ul>
          {coming.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </Card>
    </>
  )
}
