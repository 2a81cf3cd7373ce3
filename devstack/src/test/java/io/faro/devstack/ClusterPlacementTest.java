package io.faro.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClusterPlacementTest {

    @Test
    void shouldNameTheSameFaroHomeTheSameWayEveryTime() {
        assertThat(ClusterPlacement.idOf(Path.of("/root/faro/.faro")))
                .isEqualTo(ClusterPlacement.idOf(Path.of("/root/faro/./.faro")));
    }

    @Test
    void shouldNameTwoFaroHomesDifferentlyEvenWhenTheirReadablePartsMatch() {
        assertThat(ClusterPlacement.idOf(Path.of("/root/a-b/.faro")))
                .isNotEqualTo(ClusterPlacement.idOf(Path.of("/root/a/b/.faro")));
    }

    @Test
    void shouldShowTheLastWholePartsOfTheFaroHomesPathInItsName() {
        assertThat(ClusterPlacement.idOf(Path.of("/tmp/tmp.Xy12/.faro")))
                .matches("tmp-tmp\\.xy12-\\.faro-[0-9a-f]{12}");
        assertThat(ClusterPlacement.idOf(Path.of("/root/work/checkouts/faro-with-a-much-longer-name/.faro")))
                .matches("faro-with-a-much-longer-name-\\.faro-[0-9a-f]{12}");
    }
}
