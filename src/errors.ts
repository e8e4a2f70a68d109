import { STATUS_CODES } from 'node:http'

export type FieldError = { field: string, message: string }

/** An error that becomes a problem document with its own status; thrown by routes and services. */
export class HttpProblem extends Error {
  constructor (
    readonly statusCode: number,
    readonly detail: string,
    readonly options: { type?: string, errors?: FieldError[], headers?: Record<string, string> } = {}
  ) {
    super(detail)
    this.name = 'HttpProblem'
  }
}

export const notFound = (detail: string) => new HttpProblem(404, detail)
export const conflict = (detail: string) => new HttpProblem(409, detail)
export const badRequest = (detail: string, errors?: FieldError[]) => new HttpProblem(400, detail, { errors })

export function statusTitle (status: number): string {
  return STATUS_CODES[status] ?? 'Error'
}
