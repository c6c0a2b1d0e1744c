package dev.portfolio.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The example application: {@code spring.datasource.*} and {@code portfolio.*} configure it. */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(PortfolioProperties.class)
public class PortfolioExampleApplication {
  /** Creates the application class (Spring does). */
  public PortfolioExampleApplication() {}

  /**
   * Starts the application.
   *
   * @param args Spring Boot arguments, e.g. {@code --server.port=8081}
   */
  public static void main(String[] args) {
    SpringApplication.run(PortfolioExampleApplication.class, args);
  }
}
