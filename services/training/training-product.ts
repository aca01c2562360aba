/** What a training order buys: TrainingOrder.product, which TrainingOrder_amount_check limits to these. */
export const trainingProducts = ['course', 'exam', 'bundle'] as const
export type TrainingProduct = (typeof trainingProducts)[number]

export const isTrainingProduct = (product: string): product is TrainingProduct =>
  trainingProducts.some((p) => p === product)

/** TrainingOrder.product read back (issue 27: parsed, not cast); anything else is a bug. */
export function toTrainingProduct(product: string): TrainingProduct {
  if (isTrainingProduct(product)) return product
  throw new Error(`“${product}” is not a training product (${trainingProducts.join(', ')}).`)
}
