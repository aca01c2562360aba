import type { Route } from './+types/attempt'

/** The attempt as the exam-taking components receive it: still open, with its items and saved answers. */
export type ActiveAttempt = Extract<Route.ComponentProps['loaderData']['attempt'], { status: 'active' }>
export type SubmittedAttempt = Extract<Route.ComponentProps['loaderData']['attempt'], { status: 'submitted' }>
export type ExamItem = ActiveAttempt['items'][number]
