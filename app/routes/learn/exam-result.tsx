import { Link } from 'react-router'
import { Card } from '#app/components/ui.tsx'
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
      <table>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col" className="num">
              Score
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(result.domains).map(([domain, s]) => (
            <tr key={domain}>
              <td>{domain}</td>
              <td className="num">
                {s.correct} / {s.total}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
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
