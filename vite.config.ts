import { reactRouter } from '@react-router/dev/vite'
import { defineConfig } from 'vite'
import { servicesStayOnServer } from './build-guards.ts'

export default defineConfig({
  plugins: [servicesStayOnServer(), reactRouter()],
  build: { target: 'es2022' },
  server: { port: Number(process.env.PORT ?? 3000) },
})
