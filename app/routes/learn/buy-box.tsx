import { Link } from 'react-router'
import { Button, PostForm } from '#app/components/ui.tsx'

/** Buying from a public page: a signed-in learner checks out from their training account. */
export function BuyBox(props: {
  product: 'course' | 'exam' | 'bundle'
  slug: string
  price: string
  learnerOrgs: { slug: string; name: string }[]
}) {
  if (!props.learnerOrgs.length)
    return (
      <p>
        <Link to="/signup">Create a learner account</Link> or <Link to="/login">sign in</Link> to buy ({props.price}).
      </p>
    )
  return (
    <PostForm action={`/learn/${props.learnerOrgs[0]!.slug}`}>
      <input type="hidden" name="intent" value="buy" />
      <input type="hidden" name="product" value={props.product} />
      <input type="hidden" name="slug" value={props.slug} />
      <div className="field">
        <label htmlFor="promotionCode">Promotion code (optional)</label>
        <input id="promotionCode" name="promotionCode" autoComplete="off" />
      </div>
      <Button type="submit">
        Buy {{ exam: 'an exam voucher', course: 'the course', bundle: 'the course and exam' }[props.product]} ·{' '}
        {props.price}
      </Button>
    </PostForm>
  )
}
