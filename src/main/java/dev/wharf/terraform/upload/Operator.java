package dev.wharf.terraform.upload;

/** The operators of a version constraint, each as go-version v1.9.0's constraint.go checks it. */
enum Operator {
    EQUAL {
        @Override
        boolean test(GoVersion v, GoVersion c) {
            return v.compare(c) == 0;
        }
    },
    NOT_EQUAL {
        @Override
        boolean test(GoVersion v, GoVersion c) {
            return v.compare(c) != 0;
        }
    },
    GREATER {
        @Override
        boolean test(GoVersion v, GoVersion c) {
            return prereleaseCheck(v, c) && v.compare(c) > 0;
        }
    },
    LESS {
        @Override
        boolean test(GoVersion v, GoVersion c) {
            return prereleaseCheck(v, c) && v.compare(c) < 0;
        }
    },
    GREATER_OR_EQUAL {
        @Override
        boolean test(GoVersion v, GoVersion c) {
            return prereleaseCheck(v, c) && v.compare(c) >= 0;
        }
    },
    LESS_OR_EQUAL {
        @Override
        boolean test(GoVersion v, GoVersion c) {
            return prereleaseCheck(v, c) && v.compare(c) <= 0;
        }
    },
    PESSIMISTIC {
        @Override
        boolean test(GoVersion v, GoVersion c) {
            if (!prereleaseCheck(v, c) || (c.isPrerelease() && !v.isPrerelease()) || v.compare(c) < 0) {
                return false;
            }
            int last = c.segments().size() - 1;
            if (last >= v.segments().size()) {
                return false;
            }
            // Only the numbers before the last one *given* must match: for "~> 1" that is none at
            // all, so it allows 2.0.0 (go-version's constraintPessimistic loops to c.si-1).
            for (int i = 0; i < c.specified() - 1; i++) {
                if (!v.segments().get(i).equals(c.segments().get(i))) {
                    return false;
                }
            }
            return v.segments().get(last) >= c.segments().get(last);
        }
    };

    abstract boolean test(GoVersion v, GoVersion c);

    static Operator of(String symbol) {
        return switch (symbol) {
            case "!=" -> NOT_EQUAL;
            case ">" -> GREATER;
            case "<" -> LESS;
            case ">=" -> GREATER_OR_EQUAL;
            case "<=" -> LESS_OR_EQUAL;
            case "~>" -> PESSIMISTIC;
            default -> EQUAL; // "=" or none
        };
    }

    /** go-version's prereleaseCheck: a pre-release passes only a condition naming one of the same numbers. */
    private static boolean prereleaseCheck(GoVersion v, GoVersion c) {
        if (v.isPrerelease()) {
            return c.isPrerelease() && v.equalSegments(c);
        }
        return true;
    }
}
