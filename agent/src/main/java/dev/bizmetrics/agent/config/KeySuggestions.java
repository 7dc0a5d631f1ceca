package dev.bizmetrics.agent.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** "Did you mean" for a mistyped key: the known key nearest by edit distance, if it is near enough. */
final class KeySuggestions {

    private KeySuggestions() {
    }

    static String closest(String key, List<String> plainKeys, Map<String, List<String>> groupAttributes) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates(key, plainKeys, groupAttributes)) {
            int distance = distance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 5) ? best : null;
    }

    /** The plain keys, and for {@code group.name.attr} the group's keys with the same name. */
    private static Set<String> candidates(String key, List<String> plainKeys,
                                                    Map<String, List<String>> groupAttributes) {
        Set<String> candidates = new LinkedHashSet<String>(plainKeys);
        int firstDot = key.indexOf('.');
        int lastDot = key.lastIndexOf('.');
        if (firstDot > 0 && lastDot > firstDot) {
            String name = key.substring(firstDot + 1, lastDot);
            String group = key.substring(0, firstDot);
            for (Map.Entry<String, List<String>> entry : groupAttributes.entrySet()) {
                if (distance(group, entry.getKey()) <= 2) {
                    for (String attribute : entry.getValue()) {
                        candidates.add(entry.getKey() + "." + name + "." + attribute);
                    }
                }
            }
        }
        return candidates;
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
