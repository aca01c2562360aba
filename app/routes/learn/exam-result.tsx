import { Link } from 'react-router'
import { Card } from '#app/components/ui.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { SubmittedAttempt } from './exam-types.ts'

/** The score and its domains; never which answers were right (the exam's policy keeps the bank secure). */
export function ExamResult({ attempt }: { attempt: SubmittedAttempt }) {
  const { result } = attempt
  return (
    <Card title={result.passed ? 'You passed' : 'Not passed this time'}>
      <p data-testid="score">
        {`${result.correct} of ${result.total} correct (${result.percent}%); `}
        {`the pass mark is ${attempt.exam.passPercent}%.`}
        {result.submittedBy === 'deadline' ? ' Submitted at the deadline.' : ''}
      </p>
      <DataTable
        rows={Object.entries(result.domains)}
        rowKey={([domain]) => domain}
        columns={[
          { header: 'Domain', cell: ([domain]) => domain },
          { header: 'Score', numeric: true, cell: ([, s]) => `${s.correct} / ${s.total}` },
        ]}
      />
      {result.certificate ? (
        <p>
          <Link to={`/certificates/${result.certificate.id}`}>Your certificate</Link>, valid until{' '}
          {result.certificate.expiresAt.slice(0, 10)}.
        </p>
      ) : (
        <p>
          Your training page says when you can retake. The exam's policy keeps questions and keys confidential, so
          scores are given per domain.
        </p>
      )}
    </Card>
  )
}
