package io.siyu;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** Module boundaries, and the hot path kept free of Spring. */
class ModularityTests {

    private static final ApplicationModules modules = ApplicationModules.of(SiyuApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void theEngineIdentityAndProfileModelAreSpringFree() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.siyu");
        noClasses().that().resideInAnyPackage("io.siyu.engine", "io.siyu.identity")
                .or().haveFullyQualifiedName("io.siyu.profile.Profile")
                .or().haveFullyQualifiedName("io.siyu.profile.Traits")
                .or().haveFullyQualifiedName("io.siyu.profile.DailyCounters")
                .or().haveFullyQualifiedName("io.siyu.profile.Dictionary")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .because("the engine runs embedded and inside a stream processor alike")
                .check(classes);
    }

    @Test
    void writesModuleDocumentation() {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }
}
