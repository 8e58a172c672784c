package dev.diagkit.autoconfigure;

import java.util.function.Function;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.StringUtils;

/**
 * Names the bean of a class: its bean name when exactly one bean has that type, otherwise
 * the class name as a default bean name would be.
 */
final class BeanNames implements Function<Class<?>, String> {

	private final ListableBeanFactory beanFactory;

	BeanNames(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public String apply(Class<?> type) {
		String[] names = this.beanFactory.getBeanNamesForType(type, false, false);
		return (names.length == 1) ? names[0] : StringUtils.uncapitalize(type.getSimpleName());
	}

}
