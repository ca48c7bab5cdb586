package io.siyu.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.RoaringBitmap;

/** The word-at-a-time count agrees with Roaring's own algebra on every shape of expression and container. */
class BitmapCountProperties {

    @Property(tries = 60)
    void countsWhatRoaringAlgebraMaterialises(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3_000_000) int universe) {
        Random random = new Random(seed);
        List<RoaringBitmap> operands = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            operands.add(randomBitmap(random, universe));
        }
        RoaringBitmap people = randomBitmap(random, universe);
        for (int depth = 0; depth < 5; depth++) {
            Expression expression = randomExpression(random, operands, 3);
            RoaringBitmap expected = RoaringBitmap.and(expression.materialise(people), people);
            assertThat(BitmapCount.count(expression.node(), people)).as(expression.text()).isEqualTo(expected.getLongCardinality());
        }
    }

    /** Sparse (array containers), dense (bitmap containers), runs, or full chunks. */
    private static RoaringBitmap randomBitmap(Random random, int universe) {
        RoaringBitmap bits = new RoaringBitmap();
        switch (random.nextInt(4)) {
            case 0 -> random.ints(random.nextInt(1 + universe / 100), 0, universe).forEach(bits::add);
            case 1 -> random.ints(universe / 4, 0, universe).forEach(bits::add);
            case 2 -> {
                for (int r = 0; r < 20; r++) {
                    long from = random.nextInt(universe);
                    bits.add(from, Math.min(universe, from + random.nextInt(200_000)));
                }
                bits.runOptimize();
            }
            default -> bits.add(0L, universe);
        }
        if (random.nextBoolean()) {
            bits.runOptimize();
        }
        return bits;
    }

    private record Expression(BitmapCount.Node node, String text, java.util.function.Function<RoaringBitmap, RoaringBitmap> of) {
        RoaringBitmap materialise(RoaringBitmap people) {
            return of.apply(people);
        }
    }

    private static Expression randomExpression(Random random, List<RoaringBitmap> operands, int depth) {
        int kind = depth == 0 ? 0 : random.nextInt(4);
        switch (kind) {
            case 0 -> {
                int i = random.nextInt(operands.size());
                RoaringBitmap bits = operands.get(i);
                return new Expression(new BitmapCount.Node.Operand(bits), "t" + i, people -> bits);
            }
            case 1 -> {
                Expression child = randomExpression(random, operands, depth - 1);
                return new Expression(new BitmapCount.Node.Not(child.node()), "not " + child.text(),
                        people -> RoaringBitmap.andNot(people, child.materialise(people)));
            }
            default -> {
                List<Expression> children = new ArrayList<>();
                for (int c = 0; c < 2 + random.nextInt(3); c++) {
                    children.add(randomExpression(random, operands, depth - 1));
                }
                boolean and = kind == 2;
                List<BitmapCount.Node> nodes = children.stream().map(Expression::node).toList();
                String text = "(" + String.join(and ? " and " : " or ", children.stream().map(Expression::text).toList()) + ")";
                return new Expression(and ? new BitmapCount.Node.All(nodes) : new BitmapCount.Node.Any(nodes), text, people -> {
                    RoaringBitmap[] parts = children.stream().map(c -> c.materialise(people)).toArray(RoaringBitmap[]::new);
                    return and ? FastAggregation.and(parts) : FastAggregation.or(parts);
                });
            }
        }
    }
}
