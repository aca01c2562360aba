import { Outlet } from 'react-router'
import { PublicFrame } from '#app/components/public-layout.tsx'
import { useRootData } from '#app/root.tsx'

// One layout for every page a visitor can open without an account (issue 28).
export default function PublicLayout() {
  return (
    <PublicFrame signedIn={Boolean(useRootData()?.user)}>
      <Outlet />
    </PublicFrame>
  )
}
